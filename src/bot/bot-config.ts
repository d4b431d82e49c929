import { loadShardSettings, type ShardSettings } from './shards.js';

/** Discord-side settings, from the environment (config.ts's `environment()`, `.env` loaded). */
export interface BotConfig {
  /** REST base URL (DISCORD_API_URL), e.g. http://127.0.0.1:PORT/api; null for Discord itself. */
  apiUrl: string | null;
  /** DISCORD_GUILD_ID: commands are registered there (instantly) and kept in sync at start-up. */
  guildId: string | null;
  rateLimit: { count: number; windowMs: number };
  /** How long shutdown waits for replies in flight. */
  shutdownGraceMs: number;
  /** Adding to the library from Discord ("Add to library", /library). */
  library: {
    /** LIBRARY_ROLE_ID: members with this role may add and remove, besides the permission each command needs. */
    roleId: string | null;
    /** LIBRARY_MAX_UPLOAD_MB, in bytes: the largest file /library add takes. */
    maxUploadBytes: number;
  };
  /** SHARD_COUNT and SHARDS: the gateway shards this process runs (see shards.ts). */
  shards: ShardSettings;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1 (got "${raw}")`);
  return value;
}

export function loadBotConfig(env: NodeJS.ProcessEnv): BotConfig {
  const apiUrl = env.DISCORD_API_URL?.trim() || null;
  if (apiUrl !== null) {
    let parsed: URL;
    try {
      parsed = new URL(apiUrl);
    } catch {
      throw new Error(`DISCORD_API_URL must be a URL such as http://127.0.0.1:8080/api (got "${apiUrl}")`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('DISCORD_API_URL must be http(s)');
  }
  const guildId = env.DISCORD_GUILD_ID?.trim() || null;
  if (guildId !== null && !/^\d{15,22}$/.test(guildId)) throw new Error(`DISCORD_GUILD_ID must be a server id (digits), got "${guildId}"`);
  const roleId = env.LIBRARY_ROLE_ID?.trim() || null;
  if (roleId !== null && !/^\d{15,22}$/.test(roleId)) throw new Error(`LIBRARY_ROLE_ID must be a role id (digits), got "${roleId}"`);
  return {
    apiUrl: apiUrl?.replace(/\/+$/, '') ?? null,
    guildId,
    rateLimit: {
      count: positiveInt(env, 'RATE_LIMIT_COUNT', 5),
      windowMs: positiveInt(env, 'RATE_LIMIT_WINDOW_SECONDS', 30) * 1000,
    },
    shutdownGraceMs: positiveInt(env, 'SHUTDOWN_GRACE_SECONDS', 15) * 1000,
    library: { roleId, maxUploadBytes: positiveInt(env, 'LIBRARY_MAX_UPLOAD_MB', 10) * 1024 * 1024 },
    shards: loadShardSettings(env),
  };
}
