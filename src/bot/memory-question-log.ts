import type { QuestionLog, QuestionRecord } from '../records/question-log.js';

/** The QuestionLog used when the runtime is given none: kept in memory, bounded, lost on restart. */
export class MemoryQuestionLog implements QuestionLog {
  readonly questions = new Map<number, QuestionRecord>();
  readonly feedback: Array<{ questionId: number; userId: string; vote: 'up' | 'down'; at: Date }> = [];
  private nextId = 1;

  constructor(private readonly max = 10_000) {}

  async logQuestion(record: QuestionRecord): Promise<number | null> {
    const id = this.nextId++;
    this.questions.set(id, { ...record, id });
    if (this.questions.size > this.max) this.questions.delete(this.questions.keys().next().value!);
    return id;
  }

  async recordFeedback(questionId: number, userId: string, vote: 'up' | 'down'): Promise<void> {
    // One vote per user and question: a second click replaces the first.
    const existing = this.feedback.findIndex((f) => f.questionId === questionId && f.userId === userId);
    if (existing >= 0) this.feedback.splice(existing, 1);
    this.feedback.push({ questionId, userId, vote, at: new Date() });
    if (this.feedback.length > this.max) this.feedback.shift();
  }
}
