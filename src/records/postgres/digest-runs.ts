import type pg from 'pg';
import { FIRST_LOOKBACK_MS, type DigestRun, type DigestRunRecords, type DigestSlot, type RunState } from '../digest-runs.js';
import type { Subscription } from '../subscriptions.js';

interface RunRow {
  id: string;
  subscription_id: string;
  channel_id: string;
  local_date: string;
  scheduled_for: Date;
  late: boolean;
  period_start: Date;
  period_end: Date;
  state: RunState;
  error: string | null;
}

const fromRow = (row: RunRow): DigestRun => ({
  id: Number(row.id),
  subscriptionId: Number(row.subscription_id),
  channelId: row.channel_id,
  localDate: row.local_date,
  scheduledFor: row.scheduled_for,
  late: row.late,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  state: row.state,
  error: row.error,
});

/** Digest runs in PostgreSQL: the unique (subscription, local date) makes a claim exactly once across every process. */
export class PostgresDigestRuns implements DigestRunRecords {
  constructor(private readonly pool: pg.Pool) {}

  async exists(subscriptionId: number, localDate: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM digest_runs WHERE subscription_id = $1 AND local_date = $2`, [subscriptionId, localDate]);
    return (rowCount ?? 0) > 0;
  }

  async claim(subscription: Subscription, slot: DigestSlot, now: Date): Promise<DigestRun | null> {
    // One statement, so the claim and the period it covers are decided together: of racing claims
    // for the same (subscription, date), exactly one inserts a row, the others insert nothing.
    const { rows } = await this.pool.query<RunRow>(
      `INSERT INTO digest_runs (subscription_id, channel_id, local_date, scheduled_for, late, period_start, period_end, state, claimed_at)
       SELECT $1::bigint, $2::text, $3::text, $4::timestamptz, $5::boolean,
         GREATEST($6::timestamptz, COALESCE((SELECT max(period_end) FROM digest_runs
                                             WHERE subscription_id = $1::bigint AND state IN ('posted', 'skipped')), '-infinity')),
         $7::timestamptz, 'claimed', $7::timestamptz
       ON CONFLICT (subscription_id, local_date) DO NOTHING
       RETURNING *`,
      [
        subscription.id,
        subscription.channelId,
        slot.localDate,
        slot.scheduledFor,
        slot.late,
        new Date(subscription.scheduleFrom.getTime() - FIRST_LOOKBACK_MS),
        now,
      ],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async finish(runId: number, state: Exclude<RunState, 'claimed'>, at: Date, error: string | null = null): Promise<void> {
    await this.pool.query(`UPDATE digest_runs SET state = $1, error = $2, finished_at = $3 WHERE id = $4`, [state, error, at, runId]);
  }

  async expireClaims(before: Date, at: Date, error: string): Promise<number> {
    const result = await this.pool.query(
      `UPDATE digest_runs SET state = 'failed', error = $1, finished_at = $2 WHERE state = 'claimed' AND claimed_at < $3`,
      [error, at, before],
    );
    return result.rowCount ?? 0;
  }

  async lastCovered(subscriptionId?: number): Promise<Date | null> {
    const { rows } = await this.pool.query<{ until: Date | null }>(
      `SELECT max(period_end) AS until FROM digest_runs
       WHERE ($1::bigint IS NULL OR subscription_id = $1::bigint) AND state IN ('posted', 'skipped')`,
      [subscriptionId ?? null],
    );
    return rows[0]?.until ?? null;
  }

  async takeFailureNotices(subscriptionId: number, at: Date): Promise<DigestRun[]> {
    // One UPDATE … RETURNING: of two processes taking the same failures, only one gets each row.
    const { rows } = await this.pool.query<RunRow>(
      `UPDATE digest_runs SET notified_at = $2
       WHERE subscription_id = $1 AND state = 'failed' AND notified_at IS NULL
       RETURNING *`,
      [subscriptionId, at],
    );
    return rows.map(fromRow).sort((a, b) => a.id - b.id);
  }
}
