/** What the bot records about each question and each 👍/👎; the SQLite store implements it. */
export interface QuestionRecord {
  id?: number;
  guildId: string | null;
  channelId: string | null;
  userId: string;
  question: string;
  answered: boolean;
  refs: string[];
  scores: number[];
  latencyMs: number;
  askedAt: Date;
}

export interface QuestionLog {
  /** Never throws and never blocks an answer: failures are logged. Returns the record id when stored. */
  logQuestion(record: QuestionRecord): number | null;
  recordFeedback(questionId: number, userId: string, vote: 'up' | 'down'): void;
}
