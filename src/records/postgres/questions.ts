import type pg from 'pg';
import type { Logger } from '../../log.js';
import type { LoggedQuestion, QuestionRecord, QuestionRecords } from '../question-log.js';

/**
 * The longest a logged question or vote may hold up its reply when PostgreSQL is slow or away
 * (the SQLite file's counterpart is its 100 ms busy timeout; a network round trip needs more).
 * The write itself is not cancelled: it may still land, without its id on the buttons.
 */
export const LOG_WAIT_MS = 500;

interface QuestionRow {
  id: string;
  question: string;
  answered: boolean;
  asked_at: Date;
  downvotes: number;
}

/** The question log in PostgreSQL: every process writes here, so the digest sees every shard's questions. */
export class PostgresQuestionLog implements QuestionRecords {
  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
  ) {}

  async logQuestion(record: QuestionRecord): Promise<number | null> {
    try {
      const { rows } = await withinWait(
        this.pool.query<{ id: string }>(
          `INSERT INTO questions (guild_id, channel_id, user_id, question, answered, refs, scores, latency_ms, asked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [
            record.guildId,
            record.channelId,
            record.userId,
            record.question,
            record.answered,
            JSON.stringify(record.refs),
            JSON.stringify(record.scores),
            Math.round(record.latencyMs),
            record.askedAt,
          ],
        ),
      );
      return Number(rows[0]!.id);
    } catch (error) {
      this.log.warn('question not logged', { error, code: codeOf(error) });
      return null;
    }
  }

  async recordFeedback(questionId: number, userId: string, vote: 'up' | 'down'): Promise<void> {
    try {
      await withinWait(
        this.pool.query(
          `INSERT INTO feedback (question_id, user_id, vote, voted_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (question_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
          [questionId, userId, vote],
        ),
      );
    } catch (error) {
      this.log.warn('feedback not recorded', { error, code: codeOf(error), questionId });
    }
  }

  async between(since: Date, until: Date, guildId?: string): Promise<LoggedQuestion[]> {
    const { rows } = await this.pool.query<QuestionRow>(
      `SELECT q.id, q.question, q.answered, q.asked_at,
              (SELECT count(*) FROM feedback f WHERE f.question_id = q.id AND f.vote = 'down')::int AS downvotes
       FROM questions q
       WHERE q.asked_at >= $1 AND q.asked_at < $2 AND ($3::text IS NULL OR q.guild_id = $3)
       ORDER BY q.asked_at, q.id`,
      [since, until, guildId ?? null],
    );
    return rows.map((row) => ({ id: Number(row.id), question: row.question, answered: row.answered, askedAt: row.asked_at, downvotes: row.downvotes }));
  }
}

/** Rejects after LOG_WAIT_MS; the query goes on, and its late failure is not left unhandled. */
function withinWait<T>(query: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`PostgreSQL did not answer within ${LOG_WAIT_MS} ms`), { code: 'TIMEOUT' })), LOG_WAIT_MS);
  });
  query.catch(() => undefined);
  return Promise.race([query, timeout]).finally(() => clearTimeout(timer));
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
