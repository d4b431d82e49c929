import type { Subscription } from './subscriptions.js';

export type RunState = 'claimed' | 'posted' | 'skipped' | 'failed';

/** One subscription's digest for one local date. The row is the "exactly once" guarantee. */
export interface DigestRun {
  id: number;
  subscriptionId: number;
  channelId: string;
  /** YYYY-MM-DD in the subscription's time zone. */
  localDate: string;
  scheduledFor: Date;
  /** Posted well after its scheduled time (a catch-up after downtime). */
  late: boolean;
  periodStart: Date;
  periodEnd: Date;
  state: RunState;
  error: string | null;
}

export interface DigestSlot {
  localDate: string;
  scheduledFor: Date;
  late: boolean;
}

/** A first digest looks back one day from when the subscription began. */
export const FIRST_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/**
 * Digest runs, claimed in the database: of any number of processes claiming the same
 * (subscription, local date), exactly one gets the run.
 */
export interface DigestRunRecords {
  /** Whether the subscription's digest for `localDate` has been claimed (whatever became of it). */
  exists(subscriptionId: number, localDate: string): Promise<boolean>;
  /**
   * Claims the subscription's digest for `localDate`; null when another run (or process) already
   * has. The period runs from the end of the last delivered run (or FIRST_LOOKBACK_MS before the
   * subscription began) to `now`, decided atomically with the claim.
   */
  claim(subscription: Subscription, slot: DigestSlot, now: Date): Promise<DigestRun | null>;
  finish(runId: number, state: Exclude<RunState, 'claimed'>, at: Date, error?: string | null): Promise<void>;
  /**
   * Marks runs claimed before `before` and never finished (the process stopped between claiming
   * and posting) as failed, so the guild is told; resolves to how many. Their period is not
   * covered, so the next digest carries it.
   */
  expireClaims(before: Date, at: Date, error: string): Promise<number>;
  /** End of the period the subscription's (or, without one, any) last delivered digest covered. */
  lastCovered(subscriptionId?: number): Promise<Date | null>;
  /** Failed posts the guild has not been told about yet, oldest first; they are marked as told, once across processes. */
  takeFailureNotices(subscriptionId: number, at: Date): Promise<DigestRun[]>;
}
