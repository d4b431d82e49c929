import type Database from 'better-sqlite3';
import type { Logger } from '../../log.js';
import type { LoggedQuestion, QuestionRecord, QuestionRecords } from '../question-log.js';

interface QuestionRow {
  id: number;
  question: string;
  answered: number;
  asked_at: number;
  downvotes: number;
}

/**
 * The question log over SQLite. Writes are single prepared INSERTs on a WAL database, so they cost
 * tens of microseconds; when the database is locked or full the record is dropped and logged,
 * because an answer must never wait for, or fail on, its bookkeeping.
 */
export class SqliteQuestionLog implements QuestionRecords {
  private readonly insertQuestion: Database.Statement;
  private readonly upsertVote: Database.Statement;
  private readonly selectBetween: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly log: Logger,
  ) {
    this.insertQuestion = db.prepare(
      `INSERT INTO questions (guild_id, channel_id, user_id, question, answered, refs, scores, latency_ms, asked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertVote = db.prepare(
      `INSERT INTO feedback (question_id, user_id, vote, voted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (question_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
    );
    // `@guild IS NULL` lets one statement serve both "every guild" (the terminal) and one guild.
    this.selectBetween = db.prepare(
      `SELECT q.id, q.question, q.answered, q.asked_at,
              (SELECT COUNT(*) FROM feedback f WHERE f.question_id = q.id AND f.vote = 'down') AS downvotes
       FROM questions q
       WHERE q.asked_at >= @since AND q.asked_at < @until AND (@guild IS NULL OR q.guild_id = @guild)
       ORDER BY q.asked_at, q.id`,
    );
  }

  async logQuestion(record: QuestionRecord): Promise<number | null> {
    try {
      const result = this.insertQuestion.run(
        record.guildId,
        record.channelId,
        record.userId,
        record.question,
        record.answered ? 1 : 0,
        JSON.stringify(record.refs),
        JSON.stringify(record.scores),
        Math.round(record.latencyMs),
        record.askedAt.getTime(),
      );
      return Number(result.lastInsertRowid);
    } catch (error) {
      this.log.warn('question not logged', { error, code: codeOf(error) });
      return null;
    }
  }

  async recordFeedback(questionId: number, userId: string, vote: 'up' | 'down'): Promise<void> {
    try {
      this.upsertVote.run(questionId, userId, vote, Date.now());
    } catch (error) {
      this.log.warn('feedback not recorded', { error, code: codeOf(error), questionId });
    }
  }

  async between(since: Date, until: Date, guildId?: string): Promise<LoggedQuestion[]> {
    const rows = this.selectBetween.all({ since: since.getTime(), until: until.getTime(), guild: guildId ?? null }) as QuestionRow[];
    return rows.map((row) => ({
      id: row.id,
      question: row.question,
      answered: row.answered === 1,
      askedAt: new Date(row.asked_at),
      downvotes: row.downvotes,
    }));
  }
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
