import type { Client } from 'discord.js';
import type { Logger } from '../log.js';
import type { Records } from '../records/records.js';
import type { DigestMessage } from './render-discord.js';
import { DIGEST_SERVICE, DigestService } from './service.js';
import type { DigestSettings } from './settings.js';
import type { DigestSources } from './sources.js';

export interface StartDigestDeps {
  client: Client;
  records: Records;
  sources: DigestSources;
  log: Logger;
  /** CommandContext.services: the service is registered under DIGEST_SERVICE for /digest. */
  services: Map<string, unknown>;
  /** Config.digest. */
  settings: DigestSettings;
}

/**
 * The bot's digest hook: call once the client is ready (channels must be fetchable). Adds the
 * environment's default subscription, posts a digest missed while the bot was down, and schedules
 * the daily ones. Call `stop()` on the result at shutdown.
 */
export async function startDigest(deps: StartDigestDeps): Promise<DigestService> {
  const { client, records, log } = deps;
  const { settings } = deps;
  const service = new DigestService({ records, sources: deps.sources, log: log.child({ component: 'digest' }), settings, post: (id, message) => post(client, id, message) });
  if (settings.defaultSubscription) {
    const { channelId, time, timezone } = settings.defaultSubscription;
    const guildId = await guildOf(client, channelId).catch((error: unknown) => {
      log.warn('DIGEST_CHANNEL_ID: the channel could not be fetched; no default digest subscription', { channelId, error });
      return null;
    });
    if (guildId) await records.subscriptions.ensureDefault({ guildId, channelId, time, timezone }, new Date());
  }
  deps.services.set(DIGEST_SERVICE, service);
  await service.scheduler.start();
  return service;
}

async function guildOf(client: Client, channelId: string): Promise<string | null> {
  const channel = await client.channels.fetch(channelId);
  return channel && 'guildId' in channel ? channel.guildId : null;
}

async function post(client: Client, channelId: string, message: DigestMessage): Promise<void> {
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable()) throw new Error(`channel ${channelId} is not one I can send messages to`);
  await channel.send(message);
}
