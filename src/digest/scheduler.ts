import { Cron } from 'croner';
import type { Logger } from '../log.js';
import type { DigestRun } from '../records/digest-runs.js';
import type { Records } from '../records/records.js';
import type { Subscription } from '../records/subscriptions.js';
import { lastSlot } from './daily-time.js';
import type { DigestMessage } from './render-discord.js';

export interface SchedulerDeps {
  records: Pick<Records, 'subscriptions' | 'digestRuns'>;
  log: Logger;
  /** The message for a claimed run, or null to skip it (an empty period with DIGEST_SKIP_EMPTY). */
  compose(run: DigestRun, subscription: Subscription): Promise<DigestMessage | null>;
  post(channelId: string, message: DigestMessage): Promise<void>;
  now?: () => Date;
  /** A run starting this long after its scheduled time is flagged as late (a catch-up). */
  lateAfterMs?: number;
}

export interface RunOutcome {
  subscriptionId: number;
  result: 'not-due' | 'already-claimed' | 'posted' | 'skipped' | 'failed';
}

const DEFAULT_LATE_AFTER_MS = 10 * 60_000;
/** A run still "claimed" this long after its claim was abandoned: composing and posting take seconds. */
const ABANDONED_AFTER_MS = 30 * 60_000;

/**
 * Posts each subscription's digest once per local day. Every minute (subscription times are whole
 * minutes) it asks croner for each subscription's latest scheduled time in its zone, DST included;
 * whether that day's digest is still owed is decided by claiming its (subscription, local date) row
 * in the database, so restarts, catch-ups and several processes on one file cannot post it twice.
 * Looking every minute, rather than timing each subscription, also retries a claim that met a
 * locked database and catches up after the machine slept, without rescheduling on subscribe.
 */
export class DigestScheduler {
  private job: Cron | null = null;
  private readonly now: () => Date;
  private readonly lateAfterMs: number;

  constructor(private readonly deps: SchedulerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.lateAfterMs = deps.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  }

  /** Catches up on a day missed while the bot was down (once, however many days), then keeps time. */
  async start(): Promise<RunOutcome[]> {
    // unref: the scheduler never keeps the process alive; protect: a slow run is not overlapped.
    const options = { unref: true, protect: true, catch: (error: unknown) => this.deps.log.error('digest: scheduled run failed', { error }) };
    this.job ??= new Cron('* * * * *', options, async () => {
      await this.runDue();
    });
    return this.runDue();
  }

  stop(): void {
    this.job?.stop();
    this.job = null;
  }

  /** Runs every subscription whose latest scheduled time has passed and is not yet claimed. */
  async runDue(): Promise<RunOutcome[]> {
    await this.expireAbandoned();
    let subscriptions: Subscription[];
    try {
      subscriptions = await this.deps.records.subscriptions.active();
    } catch (error) {
      // The database is away: the next minute tries again, and a claim not made is a day not lost.
      this.deps.log.error('digest: could not read the subscriptions', { error });
      return [];
    }
    const outcomes: RunOutcome[] = [];
    for (const subscription of subscriptions) outcomes.push(await this.run(subscription));
    return outcomes;
  }

  /** A day claimed by a process that stopped before posting is not retried (never twice), but it is reported. */
  private async expireAbandoned(): Promise<void> {
    try {
      const now = this.now();
      const expired = await this.deps.records.digestRuns.expireClaims(new Date(now.getTime() - ABANDONED_AFTER_MS), now, 'the bot stopped before posting it');
      if (expired > 0) this.deps.log.warn('digest: runs the bot stopped in the middle of are marked failed; the next digest covers their period', { runs: expired });
    } catch (error) {
      this.deps.log.error('digest: could not look for abandoned runs', { error });
    }
  }

  private async run(subscription: Subscription): Promise<RunOutcome> {
    const { records, log } = this.deps;
    const subscriptionId = subscription.id;
    let run: DigestRun | null;
    try {
      const now = this.now();
      const slot = lastSlot(subscription, now);
      if (!slot || slot.scheduledFor < subscription.scheduleFrom) return { subscriptionId, result: 'not-due' };
      // Checked with a read first: a claim is a write, and writes are what could hold up a logged question.
      if (await records.digestRuns.exists(subscriptionId, slot.localDate)) return { subscriptionId, result: 'already-claimed' };
      const late = now.getTime() - slot.scheduledFor.getTime() > this.lateAfterMs;
      run = await records.digestRuns.claim(subscription, { ...slot, late }, now);
    } catch (error) {
      log.error('digest: could not claim a run', { error, subscriptionId });
      return { subscriptionId, result: 'not-due' };
    }
    if (!run) return { subscriptionId, result: 'already-claimed' };

    const runLog = log.child({ subscriptionId, guildId: subscription.guildId, channelId: run.channelId, localDate: run.localDate });
    let result: 'posted' | 'skipped' | 'failed';
    let error: string | null = null;
    try {
      const message = await this.deps.compose(run, subscription);
      if (message) await this.deps.post(run.channelId, message);
      result = message ? 'posted' : 'skipped';
      runLog.info(`digest ${result}`, { late: run.late });
    } catch (failure) {
      result = 'failed';
      error = failure instanceof Error ? failure.message : String(failure);
      runLog.warn('digest could not be posted; the next run covers its period', { error });
    }
    try {
      await records.digestRuns.finish(run.id, result, this.now(), error);
    } catch (failure) {
      // The row stays "claimed": the day is not retried, which is the safe side of "exactly once";
      // after a while it is reported as failed (expireAbandoned).
      runLog.error('digest: could not record the outcome of a run', { error: failure });
    }
    return { subscriptionId, result };
  }
}
