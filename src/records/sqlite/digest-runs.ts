import type Database from 'better-sqlite3';
import { FIRST_LOOKBACK_MS, type DigestRun, type DigestRunRecords, type DigestSlot, type RunState } from '../digest-runs.js';
import type { Subscription } from '../subscriptions.js';

interface RunRow {
  id: number;
  subscription_id: number;
  channel_id: string;
  local_date: string;
  scheduled_for: number;
  late: number;
  period_start: number;
  period_end: number;
  state: RunState;
  error: string | null;
}

const fromRow = (row: RunRow): DigestRun => ({
  id: row.id,
  subscriptionId: row.subscription_id,
  channelId: row.channel_id,
  localDate: row.local_date,
  scheduledFor: new Date(row.scheduled_for),
  late: row.late === 1,
  periodStart: new Date(row.period_start),
  periodEnd: new Date(row.period_end),
  state: row.state,
  error: row.error,
});

/** Digest runs in the SQLite file; claims are unique per (subscription, local date) across connections. */
export class SqliteDigestRuns implements DigestRunRecords {
  private readonly insertClaim: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly byDate: Database.Statement;
  private readonly setState: Database.Statement;
  private readonly coveredUntil: Database.Statement;
  private readonly unnotified: Database.Statement;
  private readonly setNotified: Database.Statement;
  private readonly takeNotices: (subscriptionId: number, at: number) => DigestRun[];
  private readonly expire: Database.Statement;
  private readonly abandoned: Database.Statement;

  constructor(db: Database.Database) {
    // One statement, so the claim and the period it covers are decided atomically: of two racing
    // claims for the same (subscription, date), exactly one inserts a row.
    this.insertClaim = db.prepare(
      `INSERT INTO digest_runs (subscription_id, channel_id, local_date, scheduled_for, late, period_start, period_end, state, claimed_at)
       VALUES (@subscriptionId, @channelId, @localDate, @scheduledFor, @late,
         MAX(@firstStart, COALESCE((SELECT MAX(period_end) FROM digest_runs
                                    WHERE subscription_id = @subscriptionId AND state IN ('posted', 'skipped')), 0)),
         @now, 'claimed', @now)
       ON CONFLICT (subscription_id, local_date) DO NOTHING`,
    );
    this.byId = db.prepare(`SELECT * FROM digest_runs WHERE id = ?`);
    this.byDate = db.prepare(`SELECT 1 FROM digest_runs WHERE subscription_id = ? AND local_date = ?`);
    this.setState = db.prepare(`UPDATE digest_runs SET state = ?, error = ?, finished_at = ? WHERE id = ?`);
    this.coveredUntil = db.prepare(
      `SELECT MAX(period_end) AS until FROM digest_runs
       WHERE (@subscriptionId IS NULL OR subscription_id = @subscriptionId) AND state IN ('posted', 'skipped')`,
    );
    this.unnotified = db.prepare(
      `SELECT * FROM digest_runs WHERE subscription_id = ? AND state = 'failed' AND notified_at IS NULL ORDER BY id`,
    );
    this.setNotified = db.prepare(`UPDATE digest_runs SET notified_at = ? WHERE id = ?`);
    this.abandoned = db.prepare(`SELECT 1 FROM digest_runs WHERE state = 'claimed' AND claimed_at < ? LIMIT 1`);
    this.expire = db.prepare(
      `UPDATE digest_runs SET state = 'failed', error = @error, finished_at = @at WHERE state = 'claimed' AND claimed_at < @before`,
    );
    // IMMEDIATE: two processes reading the same failures before either marks them would both tell.
    this.takeNotices = db.transaction((subscriptionId: number, at: number) => {
      const rows = (this.unnotified.all(subscriptionId) as RunRow[]).map(fromRow);
      for (const run of rows) this.setNotified.run(at, run.id);
      return rows;
    }).immediate;
  }

  async exists(subscriptionId: number, localDate: string): Promise<boolean> {
    return this.byDate.get(subscriptionId, localDate) !== undefined;
  }

  async claim(subscription: Subscription, slot: DigestSlot, now: Date): Promise<DigestRun | null> {
    const result = this.insertClaim.run({
      subscriptionId: subscription.id,
      channelId: subscription.channelId,
      localDate: slot.localDate,
      scheduledFor: slot.scheduledFor.getTime(),
      late: slot.late ? 1 : 0,
      firstStart: subscription.scheduleFrom.getTime() - FIRST_LOOKBACK_MS,
      now: now.getTime(),
    });
    if (result.changes === 0) return null;
    return fromRow(this.byId.get(result.lastInsertRowid) as RunRow);
  }

  async finish(runId: number, state: Exclude<RunState, 'claimed'>, at: Date, error: string | null = null): Promise<void> {
    this.setState.run(state, error, at.getTime(), runId);
  }

  async expireClaims(before: Date, at: Date, error: string): Promise<number> {
    // Looked for with a read first: this runs every minute, and a write could hold up a logged question.
    if (this.abandoned.get(before.getTime()) === undefined) return 0;
    return this.expire.run({ before: before.getTime(), at: at.getTime(), error }).changes;
  }

  async lastCovered(subscriptionId?: number): Promise<Date | null> {
    const row = this.coveredUntil.get({ subscriptionId: subscriptionId ?? null }) as { until: number | null };
    return row.until === null ? null : new Date(row.until);
  }

  async takeFailureNotices(subscriptionId: number, at: Date): Promise<DigestRun[]> {
    return this.takeNotices(subscriptionId, at.getTime());
  }
}
