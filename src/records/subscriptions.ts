/** A guild's daily digest: where, and at what local time. One row per guild, kept when unsubscribed. */
export interface Subscription {
  id: number;
  guildId: string;
  channelId: string;
  /** Local time of day, HH:MM. */
  time: string;
  /** IANA time zone name. */
  timezone: string;
  active: boolean;
  /** `env` rows come from DIGEST_CHANNEL_ID/DIGEST_TIME/DIGEST_TZ; `command` rows from /digest subscribe. */
  origin: 'command' | 'env';
  createdBy: string | null;
  /** Scheduled times before this are not owed: a new or changed subscription has no backlog to catch up. */
  scheduleFrom: Date;
}

export interface SubscriptionInput {
  guildId: string;
  channelId: string;
  time: string;
  timezone: string;
  createdBy: string | null;
}

export interface SubscriptionRecords {
  /** Creates or replaces the guild's subscription (re-activating it after an unsubscribe). */
  subscribe(input: SubscriptionInput, at: Date): Promise<Subscription>;
  /**
   * The environment's default subscription: added only when the guild has never had one, so a
   * guild's own /digest subscribe or unsubscribe is not undone by the next restart.
   */
  ensureDefault(input: Omit<SubscriptionInput, 'createdBy'>, at: Date): Promise<Subscription>;
  /** Resolves to whether there was an active subscription to end. */
  unsubscribe(guildId: string, at: Date): Promise<boolean>;
  forGuild(guildId: string): Promise<Subscription | null>;
  /** Active subscriptions, oldest first. */
  active(): Promise<Subscription[]>;
}
