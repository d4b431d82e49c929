/**
 * Which gateway shards this process runs. Discord sends each guild's events on one shard only,
 * `(guild_id >> 22) % SHARD_COUNT`, so the processes of one bot split the shard ids between them and
 * together cover 0..SHARD_COUNT-1. One process may run several shards over one copy of the library.
 */
export type ShardSettings =
  /** Every shard of the count Discord recommends (GET /gateway/bot), in this process. */
  | { mode: 'auto' }
  /** `ids` of `count` shards in all; `ids` is every shard when this process runs them all. */
  | { mode: 'fixed'; count: number; ids: number[] };

/** The discord.js Client options for these shards: always explicit, so discord.js never reads SHARDS itself. */
export function clientShardOptions(settings: ShardSettings): { shards: 'auto' } | { shards: number[]; shardCount: number } {
  return settings.mode === 'auto' ? { shards: 'auto' } : { shards: settings.ids, shardCount: settings.count };
}

/** Whether this process runs only some of the bot's shards (the others are another process's). */
export function isPartial(settings: ShardSettings): boolean {
  return settings.mode === 'fixed' && settings.ids.length < settings.count;
}

/** For logs: `auto`, or the ids of the count (`0,1 of 4`). */
export function describeShards(settings: ShardSettings): string {
  return settings.mode === 'auto' ? 'auto' : `${settings.ids.join(',')} of ${settings.count}`;
}

/** The shard of `count` that Discord delivers a guild's events on. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

const EXAMPLES = 'e.g. SHARDS=0,1 or SHARDS=0-3';

function shardCount(raw: string): number | 'auto' {
  if (raw.toLowerCase() === 'auto') return 'auto';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`SHARD_COUNT must be the number of shards across all bot processes (a whole number of at least 1), or auto (got "${raw}")`);
  }
  return value;
}

/** `0,1`, `0-3`, `0-3,8`: the ids in order; every id below `count`, none twice. */
function shardIds(raw: string, count: number): number[] {
  const ids: number[] = [];
  for (const part of raw.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) throw new Error(`SHARDS must list shard ids and ranges separated by commas, ${EXAMPLES} (could not read "${part}" in "${raw}")`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`SHARDS: the range "${part}" runs backwards; write it low-high, e.g. ${to}-${from}`);
    for (let id = from; id <= to; id++) {
      if (id >= count) {
        throw new Error(`SHARDS lists shard ${id}, but SHARD_COUNT is ${count}: shard ids run from 0 to ${count - 1}`);
      }
      if (ids.includes(id)) throw new Error(`SHARDS lists shard ${id} twice (in "${raw}")`);
      ids.push(id);
    }
  }
  return ids.sort((a, b) => a - b);
}

/**
 * SHARD_COUNT (shards across all processes, or `auto`) and SHARDS (this process's ids and ranges, or
 * `all`/`auto`). Neither set: one shard, as before. SHARDS without SHARD_COUNT is refused: two
 * processes that each guessed the count from their own list would both take every guild.
 */
export function loadShardSettings(env: NodeJS.ProcessEnv): ShardSettings {
  const rawCount = env.SHARD_COUNT?.trim() || '';
  const rawIds = env.SHARDS?.trim() || '';
  const count = rawCount === '' ? null : shardCount(rawCount);
  const every = rawIds === '' || /^(all|auto)$/i.test(rawIds);
  if (count === 'auto' || rawIds.toLowerCase() === 'auto') {
    if (!every) {
      throw new Error(
        `SHARD_COUNT=auto runs every shard Discord recommends in this process, so SHARDS cannot pick some of them (got SHARDS="${rawIds}"). ` +
          'To split shards between processes, give SHARD_COUNT as a number in each.',
      );
    }
    if (count !== null && count !== 'auto') {
      throw new Error(`SHARDS=auto takes the shard count Discord recommends; it cannot be combined with SHARD_COUNT=${count} (use SHARDS=all)`);
    }
    return { mode: 'auto' };
  }
  if (count === null && !every) {
    throw new Error(`SHARDS=${rawIds} needs SHARD_COUNT, the number of shards across all bot processes (e.g. SHARD_COUNT=2 with SHARDS=0 in one process and SHARDS=1 in the other)`);
  }
  const total = count ?? 1;
  return { mode: 'fixed', count: total, ids: every ? Array.from({ length: total }, (_, i) => i) : shardIds(rawIds, total) };
}
