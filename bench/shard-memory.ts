/**
 * Resident memory of one bot process by the shards it runs: starts the Discord double (2 guilds, one
 * on each of 2 shards) and the built bot (`node dist/src/main.js`, run `npm run build` first) over a
 * library, asks one question in each guild the process serves, then prints VmRSS (now) and VmHWM
 * (peak) from /proc. Pass an index folder already built for the docs (it is copied, not written).
 *
 *   npx tsx bench/shard-memory.ts --docs /usr/share/doc/python3.11/html --index /tmp/py-index [--shards 0-1] [--count 2]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../tests/discord-double/bot-process.js';
import { shardOf, startDiscordDouble } from '../tests/discord-double/index.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: 'tests/fixtures/bot-docs' },
    index: { type: 'string' },
    shards: { type: 'string', default: '0' },
    count: { type: 'string', default: '1' },
    question: { type: 'string', default: 'How do I get access to the VPN?' },
  },
});

const count = Number(values.count);
const double = await startDiscordDouble({ heartbeatIntervalMs: 5000, shards: count, maxConcurrency: count });
const channels = new Map<number, string>([[shardOf(double.guildId, count), double.channelId]]);
for (let shard = 0; shard < count; shard++) if (!channels.has(shard)) channels.set(shard, double.addGuild(`server ${shard}`, { onShard: [shard, count] }).channelId);

const temp = mkdtempSync(path.join(tmpdir(), 'archivist-shard-memory-'));
const indexDir = path.join(temp, 'index');
if (values.index) cpSync(values.index, indexDir, { recursive: true });
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DISCORD_TOKEN: double.token,
  DISCORD_API_URL: double.apiUrl,
  DISCORD_GUILD_ID: double.guildId,
  DOCS_DIR: path.resolve(values.docs!),
  INDEX_DIR: indexDir,
  DATA_DIR: path.join(temp, 'data'),
  MODEL_CACHE_DIR: path.join(temp, 'models'),
  EMBEDDING_MODEL: 'bundled',
  ARCHIVIST_OFFLINE: '1',
  ARCHIVIST_ENV_FILE: '',
  WATCH_DOCS: '0',
  SHARD_COUNT: values.count,
  SHARDS: values.shards,
};
const started = Date.now();
const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
try {
  await double.waitFor(() => output.includes('archivist bot is serving') || child.exitCode !== null, 600_000, 'the bot to serve');
  if (child.exitCode !== null) throw new Error(`the bot exited:\n${output.slice(-3000)}`);
  const servingMs = Date.now() - started;
  await double.waitFor(() => double.commands.get(double.guildId)?.some((c) => c.name === 'ask'), 30_000, 'commands');
  const served = double.connectedShards().map(([id]) => id);
  for (const shard of served) {
    const record = double.slash('ask', { question: values.question }, { user: 'asker', channelId: channels.get(shard)! });
    await double.waitForFinal(record, 60_000);
  }
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  const passages = /"passages":(\d+)/.exec(output)?.[1] ?? /passages=(\d+)/.exec(output)?.[1] ?? '?';
  console.log(
    `shards ${served.join(',')} of ${count}; passages ${passages}; serving after ${(servingMs / 1000).toFixed(1)} s; ` +
      `RSS ${(kb('VmRSS') / 1024).toFixed(0)} MiB, peak ${(kb('VmHWM') / 1024).toFixed(0)} MiB`,
  );
} finally {
  child.kill('SIGKILL');
  await double.close();
  rmSync(temp, { recursive: true, force: true });
}
