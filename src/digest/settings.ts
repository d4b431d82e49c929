import { canonicalTimeZone, parseTimeOfDay } from './daily-time.js';

export interface DigestSettings {
  /** From DIGEST_CHANNEL_ID (+ DIGEST_TIME, DIGEST_TZ): subscribes that channel's guild unless it chose otherwise. */
  defaultSubscription: { channelId: string; time: string; timezone: string } | null;
  /** DIGEST_TZ, else UTC: the zone for subscriptions that name none and for the terminal digest. */
  timezone: string;
  /** DIGEST_SKIP_EMPTY: post nothing, rather than a one-line digest, when nothing happened. */
  skipEmpty: boolean;
}

const DEFAULT_TIME = '09:00';

/** Reads the digest settings; a malformed value is an error at start-up, not a silent default. */
export function digestSettings(env: NodeJS.ProcessEnv): DigestSettings {
  const rawZone = env.DIGEST_TZ?.trim() || 'UTC';
  const timezone = canonicalTimeZone(rawZone);
  if (!timezone) throw new Error(`DIGEST_TZ must be an IANA time zone such as Europe/Berlin (got "${rawZone}")`);
  const rawTime = env.DIGEST_TIME?.trim() || DEFAULT_TIME;
  const time = parseTimeOfDay(rawTime);
  if (!time) throw new Error(`DIGEST_TIME must be a time of day as HH:MM (got "${rawTime}")`);
  const channelId = env.DIGEST_CHANNEL_ID?.trim();
  if (channelId && !/^\d+$/.test(channelId)) throw new Error(`DIGEST_CHANNEL_ID must be a Discord channel id (got "${channelId}")`);
  const skip = env.DIGEST_SKIP_EMPTY?.trim().toLowerCase() ?? '';
  return {
    defaultSubscription: channelId ? { channelId, time, timezone } : null,
    timezone,
    skipEmpty: ['1', 'true', 'yes'].includes(skip),
  };
}
