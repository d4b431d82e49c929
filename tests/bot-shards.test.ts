import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startBotProcess, type BotProcess } from './discord-double/bot-process.js';
import { shardOf, startDiscordDouble, type DiscordDouble, type DoubleGuild, type InteractionRecord } from './discord-double/index.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, tempPostgresDatabase } from './helpers/store.js';

/**
 * Sharding with real bot processes (`src/main.ts`) against the Discord double, which sends each
 * guild's events only on the shard `(guild_id >> 22) % n` owns. Two guilds, one on each of 2 shards.
 */

const DOCS = path.join(REPO_ROOT, 'tests/fixtures/bot-docs');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let double: DiscordDouble;
/** Guild and channel on each shard of 2: the double's own guild, and one added on the other shard. */
const on: Array<{ guildId: string; channelId: string }> = [];
let other: DoubleGuild;
const running: BotProcess[] = [];

beforeAll(async () => {
  double = await startDiscordDouble({ heartbeatIntervalMs: 2000, shards: 2, maxConcurrency: 2 });
  const own = shardOf(double.guildId, 2);
  other = double.addGuild('Second server', { onShard: [1 - own, 2] });
  on[own] = { guildId: double.guildId, channelId: double.channelId };
  on[1 - own] = { guildId: other.id, channelId: other.channelId };
});

afterEach(async () => {
  for (const bot of running.splice(0)) if (bot.child.exitCode === null) await bot.stop('SIGKILL');
});

afterAll(async () => {
  await double?.close();
});

async function start(env: Record<string, string>, options: { entry?: string; readyPattern?: RegExp } = {}): Promise<BotProcess> {
  const bot = await startBotProcess(double, { docsDir: DOCS, env, ...options });
  running.push(bot);
  return bot;
}

/** The shard [id, n] that the connection carrying this interaction identified with. */
function shardThatCarried(record: InteractionRecord): number[] {
  const carried = double.frames.filter((f) => f.dir === 'out' && f.t === 'INTERACTION_CREATE' && f.d.id === record.id);
  expect(carried).toHaveLength(1);
  return double.frames.find((f) => f.dir === 'in' && f.op === 2 && f.connection === carried[0]!.connection)!.d.shard;
}

async function ask(question: string, channelId: string): Promise<InteractionRecord> {
  const record = double.slash('ask', { question }, { user: 'asker', channelId });
  return double.waitForFinal(record, 30_000);
}

function answerQuotes(record: InteractionRecord, text: string): void {
  const embed: Json = record.original!.embeds[0];
  expect(embed.title).toBe(record.payload.data.options[0].value);
  expect(embed.fields[0].value).toContain(text);
}

/** Waits until exactly these shards of 2 have connected sessions. */
async function shardsConnected(ids: number[]): Promise<void> {
  const key = (shards: number[][]) => shards.map((s) => s.join('/')).sort().join(',');
  const want = key(ids.map((id) => [id, 2]));
  await double.waitFor(() => key(double.connectedShards()) === want, 30_000, `shards ${want} connected`);
}

describe('sharding (real bot processes, Discord double with 2 shards)', () => {
  it('one process running shards 0 and 1 of 2 answers in both guilds, over one library', { timeout: 180_000 }, async () => {
    const bot = await start({ SHARD_COUNT: '2', SHARDS: '0-1' });
    await shardsConnected([0, 1]);
    const identifies = double.frames.filter((f) => f.dir === 'in' && f.op === 2).map((f) => f.d.shard);
    expect(identifies).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
    for (const shard of [0, 1]) {
      const record = await ask('How do I get access to the VPN?', on[shard]!.channelId);
      expect(shardThatCarried(record)).toEqual([shard, 2]);
      expect(record.original!.guild_id).toBe(on[shard]!.guildId);
      answerQuotes(record, 'VPN');
    }
    // One library for both shards: loaded once.
    expect(bot.stderr().split('\n').filter((l) => l.includes('library loaded'))).toHaveLength(1);
  });

  it('SHARDS=auto runs the count GET /gateway/bot recommends', async () => {
    await start({ SHARDS: 'auto' });
    await shardsConnected([0, 1]);
    expect(double.requests.some((r) => r.path === '/gateway/bot')).toBe(true);
  });

  it('two processes, shards 0 and 1 of 2, each answer only their own guild', { timeout: 180_000 }, async () => {
    const bots = [await start({ SHARD_COUNT: '2', SHARDS: '0' }), await start({ SHARD_COUNT: '2', SHARDS: '1' })];
    await shardsConnected([0, 1]);
    for (const shard of [0, 1]) {
      const record = await ask('When do deploys go out?', on[shard]!.channelId);
      expect(shardThatCarried(record)).toEqual([shard, 2]);
      answerQuotes(record, '10:00 and 15:00 UTC');
    }
    // Without DATABASE_URL each keeps its own records, and says so.
    for (const bot of bots) expect(bot.stderr()).toContain('this process runs some of the shards without DATABASE_URL');
  });

  it('a second process on the same data folder without DATABASE_URL is refused, saying why', { timeout: 180_000 }, async () => {
    const first = await start({ SHARD_COUNT: '2', SHARDS: '0' });
    const dataDir = path.join(first.tempDir, 'data');
    const refused = await start({ SHARD_COUNT: '2', SHARDS: '1', DATA_DIR: dataDir }).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(refused).toContain(`another archivist bot (pid ${first.child.pid}) is already running with the data folder ${dataDir}`);
    expect(refused).toContain('set DATABASE_URL=postgres://… in both');
  });

  it('the shard manager without DATABASE_URL is refused: its processes could not share the library', async () => {
    const refused = await start({ SHARD_COUNT: '2' }, { entry: 'src/bot/shard-manager.ts' }).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(refused).toContain('the shard manager runs one bot process per shard, and bot processes share the library and the records only through a database: set DATABASE_URL');
  });

  it('a bad shard setting stops the process before it connects, with the message', async () => {
    const identifies = double.identifies;
    const refused = await start({ SHARD_COUNT: '2', SHARDS: '0-2' }).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(refused).toContain('SHARDS lists shard 2, but SHARD_COUNT is 2: shard ids run from 0 to 1');
    expect(double.identifies).toBe(identifies);
  });
});

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'sharded processes sharing PostgreSQL' : `sharded processes sharing PostgreSQL (${POSTGRES_SKIPPED})`, () => {
  it('are allowed on one data folder, and share the question log: a question asked through one shows in "most asked" from another', async () => {
    const database = await tempPostgresDatabase();
    try {
      const shared = { DATABASE_URL: database.url, SHARD_COUNT: '2' };
      const first = await start({ ...shared, SHARDS: '0' });
      const dataDir = path.join(first.tempDir, 'data');
      const second = await start({ ...shared, SHARDS: '1', DATA_DIR: dataDir });
      await shardsConnected([0, 1]);
      const question = 'How do I roll back a bad deploy?';
      const asked = await ask(question, on[0]!.channelId);
      expect(shardThatCarried(asked)).toEqual([0, 2]);
      answerQuotes(asked, 'roll');
      // Shard 0 moves to another process (its own folders, the same database): it reads what the first logged.
      await first.stop('SIGTERM');
      await start({ ...shared, SHARDS: '0' });
      await shardsConnected([0, 1]);
      const preview = await double.waitForFinal(double.slash('digest', { preview: {} }, { user: 'reader', channelId: on[0]!.channelId }), 30_000);
      const shown = JSON.stringify(double.shown(preview));
      expect(shown).toContain('Most asked');
      expect(shown).toContain(question);
      expect(second.child.exitCode).toBeNull();
    } finally {
      for (const bot of running.splice(0)) if (bot.child.exitCode === null) await bot.stop('SIGKILL');
      await database.cleanup();
    }
  }, 300_000);

  it("discord.js's ShardingManager (npm run start:shards) runs one process per shard, each answering its guild", async () => {
    const database = await tempPostgresDatabase();
    let manager: BotProcess | null = null;
    try {
      manager = await start({ DATABASE_URL: database.url, SHARD_COUNT: '2' }, { entry: 'src/bot/shard-manager.ts', readyPattern: /all shard processes connected/ });
      const children = childrenOf(manager.child.pid!);
      expect(children).toHaveLength(2);
      await shardsConnected([0, 1]);
      // The shard processes write to the manager's output; each serves once its library is in.
      const serving = () => (manager!.stderr() + manager!.stdout()).split('archivist bot is serving').length - 1;
      await double.waitFor(() => serving() === 2, 120_000, 'both shard processes serving');
      for (const shard of [0, 1]) {
        const record = await ask('When do deploys go out?', on[shard]!.channelId);
        expect(shardThatCarried(record)).toEqual([shard, 2]);
        answerQuotes(record, '10:00 and 15:00 UTC');
      }
      await manager.stop('SIGTERM');
      await double.waitFor(() => children.every((pid) => !alive(pid)), 60_000, 'the shard processes to exit');
    } finally {
      if (manager) for (const pid of childrenOf(manager.child.pid!)) process.kill(pid, 'SIGKILL');
      for (const bot of running.splice(0)) if (bot.child.exitCode === null) await bot.stop('SIGKILL');
      await database.cleanup();
    }
  }, 300_000);
});

/** Pids of the processes whose parent is `pid` (the shard manager's shard processes). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
