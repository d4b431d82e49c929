// What the PostgreSQL benchmarks (bench/pg-cluster.ts, bench/pg-kill.ts) are built from: a throwaway
// database, private copies of the docs and index folders, the built bot and CLI as child processes,
// questions through the Discord double, an edit that puts a new word into a page, and /proc memory.
// They go through processes, the CLI and the double only, never the library's own modules, so the
// same scripts measure whichever way the library is shared through PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../tests/discord-double/bot-process.js';
import { shardOf, startDiscordDouble, type DiscordDouble, type InteractionRecord } from '../tests/discord-double/index.js';

/** A database of its own beside the one `url` names, dropped by `drop`. */
export async function throwawayDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `archivist_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    async drop() {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Copies `dir` to the same absolute path under `root`. An index copied this way sits where its docs
 * folder's copy is relative to it, so it accepts that copy as its own folder moved (src/index/docs-folder.ts).
 */
export async function mirror(root: string, dir: string): Promise<string> {
  const copy = path.join(root, realpathSync(dir));
  await fs.cp(dir, copy, { recursive: true });
  return copy;
}

/** Pages the benchmarks edit unless told, each with a question its library answers. */
const KNOWN_PAGES = [
  { page: 'tutorial/inputoutput.html', question: 'How do I read a file line by line?' },
  { page: 'wilson-center-forced-displacement.md', question: 'What is forced displacement?' },
];

/** The page to edit (relative to the docs folder) and a question the library answers: the given ones, else a known page's. */
export function pickPage(docsDir: string, page?: string, question?: string): { page: string; question: string } {
  const known = KNOWN_PAGES.find((k) => (page ?? k.page) === k.page && existsSync(path.join(docsDir, k.page)));
  if (page && question) return { page, question };
  if (!known) throw new Error(`give --page (a page of ${docsDir} to edit) and --question (one the library answers)`);
  return { page: known.page, question: question ?? known.question };
}

/** A word no page has: a question naming it can only be answered by the sentence that holds it. */
export function newWord(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  return 'zq' + Array.from(randomBytes(8), (byte) => letters[byte % letters.length]).join('');
}

/** The sentence `editPage` inserts, and the question that finds it. */
export const codeword = {
  sentence: (word: string) => ` The benchmark codeword ${word} marks this paragraph.`,
  question: (word: string) => `What is the codeword ${word}?`,
  /** Asked of a library with one codeword sentence, whichever it is. */
  anyQuestion: 'Which benchmark codeword marks this paragraph?',
  /** The word a quoted sentence names, or null when the answer quotes none. */
  inText: (text: string) => /benchmark codeword (zq[a-z]+) marks/.exec(text)?.[1] ?? null,
};

/**
 * Puts `word`'s sentence at the end of the page's first paragraph, replacing the previous edit
 * (`original` is the unedited page). In HTML, the first paragraph after the title: Sphinx puts
 * paragraphs in the navigation before it, which the loader leaves out.
 */
export async function editPage(file: string, original: string, word: string): Promise<void> {
  const sentence = codeword.sentence(word);
  let edited = original;
  if (file.endsWith('.html')) {
    const end = original.indexOf('</p>', Math.max(0, original.indexOf('<h1')));
    if (end >= 0) edited = original.slice(0, end) + sentence + original.slice(end);
  } else {
    edited = original.replace(/\n\n(?=[^\n#-])([^\n]+)/, (_m, line: string) => `\n\n${line}${sentence}`);
  }
  if (edited === original) throw new Error(`could not edit ${file}`);
  await fs.writeFile(file, edited);
}

export interface Spawned {
  child: ChildProcess;
  /** Date.now() at spawn (the double's clock too), and at exit once it has exited. */
  startedAt: number;
  exitedAt: number | null;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr lines with their arrival time (Date.now()). */
  lines: Array<{ at: number; text: string }>;
  output(): string;
  /** Resolves with the first line matching `pattern`; rejects when the process exits first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<{ at: number; text: string }>;
  /** The highest VmHWM (peak resident) read from /proc while it ran, in kB (read every 200 ms). */
  peakKb(): number;
}

/** Starts `node <args>` in the repository with exactly `env` (plus PATH and HOME). */
export function spawnNode(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const startedAt = Date.now();
  const lines: Array<{ at: number; text: string }> = [];
  const collect = (stream: NodeJS.ReadableStream) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop()!;
      const at = Date.now();
      for (const text of parts) lines.push({ at, text });
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  let peak = 0;
  const sampler = setInterval(() => {
    const memory = memoryOf(child.pid!);
    if (memory) peak = Math.max(peak, memory.hwmKb);
  }, 200);
  const handle: Spawned = {
    child,
    startedAt,
    exitedAt: null,
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        handle.exitedAt = Date.now();
        clearInterval(sampler);
        resolve({ code, signal });
      }),
    ),
    lines,
    output: () => lines.map((line) => line.text).join('\n'),
    async waitForLine(pattern, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const line = lines.find((l) => pattern.test(l.text));
        if (line) return line;
        if (handle.exitedAt !== null) throw new Error(`process exited before printing ${pattern}:\n${handle.output().slice(-3000)}`);
        if (performance.now() > deadline) throw new Error(`process did not print ${pattern} within ${timeoutMs} ms:\n${handle.output().slice(-3000)}`);
        await sleep(20);
      }
    },
    peakKb: () => peak,
  };
  return handle;
}

/** SIGTERM, and SIGKILL if it is still there after `timeoutMs`; resolves once it is gone. */
export async function stop(spawned: Spawned, timeoutMs = 20_000): Promise<void> {
  if (spawned.exitedAt !== null) return;
  spawned.child.kill('SIGTERM');
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), timeoutMs);
  await spawned.exited;
  clearTimeout(timer);
}

/** SIGKILLs the process if it still runs, and waits for it to be gone. */
export async function killAndWait(spawned: Spawned): Promise<void> {
  if (spawned.exitedAt === null) spawned.child.kill('SIGKILL');
  await spawned.exited;
}

/** VmRSS and VmHWM of a live process, in kB; null once it is gone or exiting. */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const memory = { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
    // An exiting process (a zombie) still has a status file, without the Vm lines.
    return Number.isFinite(memory.rssKb) && Number.isFinite(memory.hwmKb) ? memory : null;
  } catch {
    return null;
  }
}

export const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

/** The environment every archivist process gets: the bundled embedder, offline, no .env. */
export function baseEnv(tempDir: string): Record<string, string> {
  return {
    EMBEDDING_MODEL: 'bundled',
    MODEL_CACHE_DIR: path.join(tempDir, 'models'),
    ARCHIVIST_OFFLINE: '1',
    HF_HUB_OFFLINE: '1',
    ARCHIVIST_ENV_FILE: '',
  };
}

/** The built bot (`node dist/src/main.js`) running `shards` of `shardCount` against the double; its docs watcher and rate limit are off. */
export function spawnBot(
  double: DiscordDouble,
  options: { tempDir: string; docsDir: string; indexDir: string; dataDir: string; databaseUrl: string; shardCount: number; shards: string },
): Spawned {
  return spawnNode(['dist/src/main.js'], {
    ...baseEnv(options.tempDir),
    DISCORD_TOKEN: double.token,
    DISCORD_API_URL: double.apiUrl,
    DISCORD_GUILD_ID: double.guildId,
    DOCS_DIR: options.docsDir,
    INDEX_DIR: options.indexDir,
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    WATCH_DOCS: '0',
    // Every ~100 ms from one user: the per-user limit (5 per 30 s) would answer most of them with a wait.
    RATE_LIMIT_COUNT: '1000000',
    SHARD_COUNT: String(options.shardCount),
    SHARDS: options.shards,
  });
}

/** `archivist index` (the built CLI) over `docsDir` into `indexDir`, publishing to the database. */
export function spawnIndexer(options: { tempDir: string; docsDir: string; indexDir: string; databaseUrl: string; env?: Record<string, string> }): Spawned {
  return spawnNode(['dist/src/cli.js', 'index', '--docs', options.docsDir, '--index', options.indexDir], {
    ...baseEnv(options.tempDir),
    DATABASE_URL: options.databaseUrl,
    ...options.env,
  });
}

/** What the asker sees of an answer: the quoted passage of the first result, or null for a decline or an error. */
export function quoteOf(record: InteractionRecord): string | null {
  const shown = record.followups.at(-1) ?? record.original;
  const value: unknown = shown?.embeds?.[0]?.fields?.[0]?.value;
  return typeof value === 'string' ? value : null;
}

/**
 * Asks `/ask question` in a channel and waits for the reply the asker sees (not a progress line while
 * the index builds). Null when none came within `timeoutMs`.
 */
export async function ask(double: DiscordDouble, channelId: string, question: string, timeoutMs: number): Promise<InteractionRecord | null> {
  const record = double.slash('ask', { question }, { user: 'asker', channelId });
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (record.finalAt !== undefined && !JSON.stringify(record.followups.at(-1) ?? record.original ?? {}).includes('Building the index')) return record;
    if (performance.now() > deadline) return null;
    await sleep(10);
  }
}

/** Waits until the double has a connected session for shard `[id, count]`. */
export async function shardConnected(double: DiscordDouble, id: number, count: number, timeoutMs: number): Promise<void> {
  await double.waitFor(() => double.connectedShards().some(([shard, n]) => shard === id && n === count), timeoutMs, `shard ${id} of ${count} to connect`);
}

/**
 * Spawn → first answer that quotes a passage: waits for the shard to connect, then asks until a
 * reply quotes (a process takes questions before its library is in; those wait for it).
 */
export async function firstAnswer(double: DiscordDouble, bot: Spawned, shard: { id: number; count: number; channelId: string }, question: string, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  await Promise.race([
    shardConnected(double, shard.id, shard.count, timeoutMs),
    bot.exited.then(() => {
      throw new Error(`the bot exited before connecting:\n${bot.output().slice(-3000)}`);
    }),
  ]);
  for (;;) {
    const record = await ask(double, shard.channelId, question, Math.max(1000, deadline - performance.now()));
    if (record && quoteOf(record) !== null) return record.finalAt! - bot.startedAt;
    if (bot.exitedAt !== null) throw new Error(`the bot exited:\n${bot.output().slice(-3000)}`);
    if (performance.now() > deadline) throw new Error(`no answer quoting a passage within ${timeoutMs} ms:\n${bot.output().slice(-3000)}`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The command-line options both benchmarks take (parseArgs), besides their own. */
export const CLUSTER_OPTIONS = {
  docs: { type: 'string' },
  index: { type: 'string' },
  postgres: { type: 'string' },
  page: { type: 'string' },
  question: { type: 'string' },
} as const;

/** Shards of the double, one guild on each: two bot processes take one shard each. */
export const SHARDS = 2;

/**
 * What both benchmarks start from: a throwaway database, a temp folder holding copies of the docs
 * and the built index, the page to edit (and its text), and the double with a guild on each shard
 * (`channels[shard]`). `close` stops it all but the processes, which the caller kills first.
 */
export async function startCluster(values: { docs?: string; index?: string; postgres?: string; page?: string; question?: string }, name: string) {
  if (!values.docs || !values.index || !values.postgres) throw new Error('give --docs DIR --index DIR (built from DIR) --postgres URL');
  const { page: pageRel, question } = pickPage(values.docs, values.page, values.question);
  const database = await throwawayDatabase(values.postgres);
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `archivist-${name}-`));
  const double = await startDiscordDouble({ heartbeatIntervalMs: 5000, shards: SHARDS, maxConcurrency: SHARDS });
  const close = async () => {
    await double.close();
    await database.drop();
    await fs.rm(root, { recursive: true, force: true });
  };
  try {
    const docsDir = await mirror(root, values.docs);
    const indexerDir = await mirror(root, values.index);
    const page = path.join(docsDir, pageRel);
    const original = await fs.readFile(page, 'utf8');
    const channels: string[] = [];
    channels[shardOf(double.guildId, SHARDS)] = double.channelId;
    const otherShard = 1 - shardOf(double.guildId, SHARDS);
    channels[otherShard] = double.addGuild('second server', { onShard: [otherShard, SHARDS] }).channelId;
    return { database, root, double, docsDir, indexerDir, pageRel, page, original, question, channels, close };
  } catch (error) {
    await close();
    throw error;
  }
}
