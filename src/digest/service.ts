import type { Logger } from '../log.js';
import type { DigestRun } from '../store/digest-runs.js';
import type { Store } from '../store/store.js';
import type { Subscription, SubscriptionInput } from '../store/subscriptions.js';
import { buildDigest, pendingSince, type DigestOptions } from './build.js';
import { isEmptyDigest, type Digest } from './digest.js';
import { renderDiscord, type DigestMessage } from './render-discord.js';
import { DigestScheduler } from './scheduler.js';
import type { DigestSettings } from './settings.js';
import type { DigestSources } from './sources.js';

/** The key under which the bot's CommandContext.services holds the DigestService. */
export const DIGEST_SERVICE = 'digest';

export interface DigestServiceDeps {
  store: Store;
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
      store: deps.store,
      log: deps.log,
      now: this.now,
      post: deps.post,
      compose: (run, subscription) => this.composeRun(run, subscription),
    });
  }

  get settings(): DigestSettings {
    return this.deps.settings;
  }

  subscription(guildId: string): Subscription | null {
    const subscription = this.deps.store.subscriptions.forGuild(guildId);
    return subscription?.active ? subscription : null;
  }

  subscribe(input: SubscriptionInput): Subscription {
    return this.deps.store.subscriptions.subscribe(input, this.now());
  }

  unsubscribe(guildId: string): boolean {
    return this.deps.store.subscriptions.unsubscribe(guildId, this.now());
  }

  /** The guild's digest as it would read now: from where its last delivered digest ended. */
  async pending(guildId: string): Promise<Digest> {
    const subscription = this.subscription(guildId);
    const until = this.now();
    const since = pendingSince(subscription && this.deps.store.digestRuns.lastCovered(subscription.id), until);
    return this.build({ since, until, guildId, timezone: subscription?.timezone ?? this.deps.settings.timezone });
  }

  stop(): void {
    this.scheduler.stop();
  }

  /** Posts that failed since the guild was last told, as sentences to show it once. */
  takeFailureNotices(guildId: string): string[] {
    const subscription = this.deps.store.subscriptions.forGuild(guildId);
    if (!subscription) return [];
    return this.deps.store.digestRuns
      .takeFailureNotices(subscription.id, this.now())
      .map((run) => `⚠️ The digest for ${run.localDate} could not be posted in <#${run.channelId}> (${run.error ?? 'unknown error'}). Check that I can view that channel, send messages and embed links there; its content will be in the next digest.`);
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
    return buildDigest(request, { store: this.deps.store, sources: this.deps.sources, options: this.deps.options });
  }
}
