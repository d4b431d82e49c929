import type { Logger } from '../log.js';
import type { DigestRun } from '../records/digest-runs.js';
import type { Records } from '../records/records.js';
import type { Subscription, SubscriptionInput } from '../records/subscriptions.js';
import { buildDigest, pendingSince, type DigestOptions } from './build.js';
import { isEmptyDigest, type Digest } from './digest.js';
import { renderDiscord, type DigestMessage } from './render-discord.js';
import { DigestScheduler } from './scheduler.js';
import type { DigestSettings } from './settings.js';
import type { DigestSources } from './sources.js';

/** The key under which the bot's CommandContext.services holds the DigestService. */
export const DIGEST_SERVICE = 'digest';

export interface DigestServiceDeps {
  records: Records;
  sources: DigestSources;
  log: Logger;
  settings: DigestSettings;
  post(channelId: string, message: DigestMessage): Promise<void>;
  now?: () => Date;
  options?: Partial<DigestOptions>;
}

/** What /digest uses: subscriptions, the digest of the pending period, and the scheduler. */
export class DigestService {
  readonly scheduler: DigestScheduler;
  private readonly now: () => Date;

  constructor(private readonly deps: DigestServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.scheduler = new DigestScheduler({
      records: deps.records,
      log: deps.log,
      now: this.now,
      post: deps.post,
      compose: (run, subscription) => this.composeRun(run, subscription),
    });
  }

  get settings(): DigestSettings {
    return this.deps.settings;
  }

  async subscription(guildId: string): Promise<Subscription | null> {
    const subscription = await this.deps.records.subscriptions.forGuild(guildId);
    return subscription?.active ? subscription : null;
  }

  subscribe(input: SubscriptionInput): Promise<Subscription> {
    return this.deps.records.subscriptions.subscribe(input, this.now());
  }

  unsubscribe(guildId: string): Promise<boolean> {
    return this.deps.records.subscriptions.unsubscribe(guildId, this.now());
  }

  /** The guild's digest as it would read now: from where its last delivered digest ended. */
  async pending(guildId: string): Promise<Digest> {
    const subscription = await this.subscription(guildId);
    const until = this.now();
    const since = pendingSince(subscription && (await this.deps.records.digestRuns.lastCovered(subscription.id)), until);
    return this.build({ since, until, guildId, timezone: subscription?.timezone ?? this.deps.settings.timezone });
  }

  stop(): void {
    this.scheduler.stop();
  }

  /** Posts that failed since the guild was last told, as sentences to show it once. */
  async takeFailureNotices(guildId: string): Promise<string[]> {
    const subscription = await this.deps.records.subscriptions.forGuild(guildId);
    if (!subscription) return [];
    const runs = await this.deps.records.digestRuns.takeFailureNotices(subscription.id, this.now());
    return runs.map((run) => `⚠️ The digest for ${run.localDate} could not be posted in <#${run.channelId}> (${run.error ?? 'unknown error'}). Check that I can view that channel, send messages and embed links there; its content will be in the next digest.`);
  }

  private async composeRun(run: DigestRun, subscription: Subscription): Promise<DigestMessage | null> {
    const digest = await this.build({
      since: run.periodStart,
      until: run.periodEnd,
      guildId: subscription.guildId,
      timezone: subscription.timezone,
      lateFor: run.late ? run.scheduledFor : null,
    });
    return isEmptyDigest(digest) && this.deps.settings.skipEmpty ? null : renderDiscord(digest);
  }

  private build(request: Parameters<typeof buildDigest>[0]): Promise<Digest> {
    return buildDigest(request, { records: this.deps.records, sources: this.deps.sources, options: this.deps.options });
  }
}
