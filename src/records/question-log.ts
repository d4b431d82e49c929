/** What the bot records about each question. */
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

/** What the bot writes: each question and each 👍/👎. */
export interface QuestionLog {
  /** Never rejects and never holds up an answer for long: failures are logged. Resolves to the record id when stored. */
  logQuestion(record: QuestionRecord): Promise<number | null>;
  /** Never rejects: failures (an unknown question, a database away) are logged. */
  recordFeedback(questionId: number, userId: string, vote: 'up' | 'down'): Promise<void>;
}

/** A logged question as the digest reads it back, with its 👎 count. */
export interface LoggedQuestion {
  id: number;
  question: string;
  answered: boolean;
  askedAt: Date;
  downvotes: number;
}

/** The question log with its read side: every process's questions and feedback. */
export interface QuestionRecords extends QuestionLog {
  /** Questions asked in [since, until), oldest first; `guildId` undefined means every guild. */
  between(since: Date, until: Date, guildId?: string): Promise<LoggedQuestion[]>;
}
