// SHARD_COUNT and SHARDS (src/bot/shards.ts): what each form means, and the message for each mistake.
import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/bot/bot-config.js';
import { clientShardOptions, isPartial, loadShardSettings, shardOf } from '../src/bot/shards.js';

describe('shard settings', () => {
  it('neither set: one process runs the one shard, as before', () => {
    expect(loadShardSettings({})).toEqual({ mode: 'fixed', count: 1, ids: [0] });
    expect(clientShardOptions(loadShardSettings({}))).toEqual({ shards: [0], shardCount: 1 });
    expect(loadBotConfig({}).shards).toEqual({ mode: 'fixed', count: 1, ids: [0] });
  });

  it('SHARD_COUNT alone: this process runs every shard', () => {
    const all = loadShardSettings({ SHARD_COUNT: '4' });
    expect(all).toEqual({ mode: 'fixed', count: 4, ids: [0, 1, 2, 3] });
    expect(isPartial(all)).toBe(false);
    expect(loadShardSettings({ SHARD_COUNT: '3', SHARDS: 'all' })).toEqual({ mode: 'fixed', count: 3, ids: [0, 1, 2] });
  });

  it('lists and ranges of ids, as discord.js takes them (ShardingManager passes one id)', () => {
    expect(loadShardSettings({ SHARD_COUNT: '8', SHARDS: '0-3' })).toEqual({ mode: 'fixed', count: 8, ids: [0, 1, 2, 3] });
    expect(loadShardSettings({ SHARD_COUNT: '8', SHARDS: '6, 0-1,4' })).toEqual({ mode: 'fixed', count: 8, ids: [0, 1, 4, 6] });
    const one = loadShardSettings({ SHARD_COUNT: '2', SHARDS: '1' });
    expect(clientShardOptions(one)).toEqual({ shards: [1], shardCount: 2 });
    expect(isPartial(one)).toBe(true);
  });

  it('auto: discord.js asks GET /gateway/bot for the count and runs every shard', () => {
    expect(loadShardSettings({ SHARD_COUNT: 'auto' })).toEqual({ mode: 'auto' });
    expect(loadShardSettings({ SHARDS: 'auto' })).toEqual({ mode: 'auto' });
    expect(clientShardOptions({ mode: 'auto' })).toEqual({ shards: 'auto' });
  });

  it('each mistake gets a message naming the setting and the fix', () => {
    const bad = (env: NodeJS.ProcessEnv) => () => loadShardSettings(env);
    expect(bad({ SHARD_COUNT: '0' })).toThrow('SHARD_COUNT must be the number of shards across all bot processes (a whole number of at least 1), or auto (got "0")');
    expect(bad({ SHARD_COUNT: 'two' })).toThrow('(got "two")');
    expect(bad({ SHARDS: '0,1' })).toThrow('SHARDS=0,1 needs SHARD_COUNT, the number of shards across all bot processes');
    expect(bad({ SHARD_COUNT: '2', SHARDS: '0-2' })).toThrow('SHARDS lists shard 2, but SHARD_COUNT is 2: shard ids run from 0 to 1');
    expect(bad({ SHARD_COUNT: '4', SHARDS: '3-1' })).toThrow('SHARDS: the range "3-1" runs backwards; write it low-high, e.g. 1-3');
    expect(bad({ SHARD_COUNT: '4', SHARDS: '0-2,1' })).toThrow('SHARDS lists shard 1 twice');
    expect(bad({ SHARD_COUNT: '4', SHARDS: '0;1' })).toThrow('SHARDS must list shard ids and ranges separated by commas, e.g. SHARDS=0,1 or SHARDS=0-3 (could not read "0;1"');
    expect(bad({ SHARD_COUNT: '4', SHARDS: '[0,1]' })).toThrow('could not read "[0"');
    expect(bad({ SHARD_COUNT: 'auto', SHARDS: '0' })).toThrow('SHARD_COUNT=auto runs every shard Discord recommends in this process, so SHARDS cannot pick some of them');
    expect(bad({ SHARD_COUNT: '2', SHARDS: 'auto' })).toThrow('SHARDS=auto takes the shard count Discord recommends; it cannot be combined with SHARD_COUNT=2');
    expect(() => loadBotConfig({ SHARDS: '1' })).toThrow('SHARDS=1 needs SHARD_COUNT');
  });

  it("a guild's shard is Discord's (guild_id >> 22) % count", () => {
    const id = ((123_456_789n << 22n) | 5n).toString();
    expect(shardOf(id, 1)).toBe(0);
    expect(shardOf(id, 2)).toBe(1);
    expect(shardOf(id, 10)).toBe(9);
  });
});
