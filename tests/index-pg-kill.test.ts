// Issue 18: an `archivist index` killed with SIGKILL while it publishes leaves nothing half-visible,
// and a bot process reading the same database answers throughout. Everything goes through processes
// (the real CLI, the real bot against the Discord double) and what they answer, not through the
// tables, so it holds whichever way the library is stored. bench/pg-kill.ts is the same test at
// scale, killing at random moments.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startBotProcess, type BotProcess } from './discord-double/bot-process.js';
import { startDiscordDouble, type DiscordDouble } from './discord-double/index.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, tempPostgresDatabase } from './helpers/store.js';
import { until } from './helpers/until.js';

const PAGE = 'deploys.md';
const PARAGRAPH = 'Nobody deploys on Fridays after noon.';
const QUESTION = 'Which benchmark codeword marks this paragraph?';
/** The codeword sentence put into the page: each publish carries its own word. */
const sentence = (word: string) => ` The benchmark codeword ${word} marks this paragraph.`;
const wordIn = (text: string | undefined) => /benchmark codeword (\w+) marks/.exec(text ?? '')?.[1] ?? null;

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'archivist index killed while it publishes to PostgreSQL' : `archivist index killed while it publishes to PostgreSQL (${POSTGRES_SKIPPED})`, () => {
  let temp: string;
  let docsDir: string;
  let original: string;
  let database: Awaited<ReturnType<typeof tempPostgresDatabase>>;
  let double: DiscordDouble;
  let reader: BotProcess | null = null;

  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    DATABASE_URL: database.url,
    EMBEDDING_MODEL: 'bundled',
    MODEL_CACHE_DIR: path.join(temp, 'models'),
    ARCHIVIST_OFFLINE: '1',
    ARCHIVIST_ENV_FILE: '',
    ...extra,
  });

  async function edit(word: string): Promise<void> {
    expect(original).toContain(PARAGRAPH);
    await fs.writeFile(path.join(docsDir, PAGE), original.replace(PARAGRAPH, PARAGRAPH + sentence(word)));
  }

  /** `archivist index` into the indexer's own folder; with a pause stage it is left frozen there. */
  function indexer(pauseAfter?: string) {
    const args = ['--import', 'tsx', 'src/cli.ts', 'index', '--docs', docsDir, '--index', path.join(temp, 'indexer')];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: env(pauseAfter ? { ARCHIVIST_TEST_PAUSE_AFTER: pauseAfter } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  /** The codeword a fresh process quotes from the database: an empty index folder, and no docs folder it could build from. */
  function freshProcessQuotes(): string | null {
    const folder = mkdtempSync(path.join(temp, 'fresh-'));
    const args = ['--import', 'tsx', 'src/cli.ts', 'ask', '--json', '--docs', path.join(folder, 'no-docs'), '--index', path.join(folder, 'index'), QUESTION];
    const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, env: env(), encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return wordIn(JSON.parse(result.stdout).results[0]?.quote);
  }

  /** The codeword the reader bot quotes now (every question must get an answer with a quote). */
  async function readerQuotes(): Promise<string | null> {
    const record = await double.waitForFinal(double.slash('ask', { question: QUESTION }, { user: 'asker' }), 30_000);
    const quote: string | undefined = record.original?.embeds?.[0]?.fields?.[0]?.value;
    expect(quote, JSON.stringify(record.original)).toBeTypeOf('string');
    return wordIn(quote);
  }

  beforeAll(async () => {
    temp = mkdtempSync(path.join(tmpdir(), 'archivist-pg-kill-'));
    docsDir = path.join(temp, 'docs');
    await fs.cp(path.join(REPO_ROOT, 'tests/fixtures/bot-docs'), docsDir, { recursive: true });
    original = await fs.readFile(path.join(docsDir, PAGE), 'utf8');
    database = await tempPostgresDatabase();
    double = await startDiscordDouble({ heartbeatIntervalMs: 2000 });
  });

  afterAll(async () => {
    await reader?.stop('SIGKILL');
    await double?.close();
    await database?.cleanup();
    rmSync(temp, { recursive: true, force: true });
  });

  it('three indexers killed mid-publish: a fresh process and a running reader serve the last whole library, and the next publish goes through', async () => {
    await edit('firstword');
    const first = indexer();
    expect(await first.exited, first.output()).toBe(0);
    // The reader copies the library in from the database: its own index folder starts empty.
    reader = await startBotProcess(double, { docsDir, env: { DATABASE_URL: database.url, WATCH_DOCS: '0', RATE_LIMIT_COUNT: '1000' } });
    expect(await readerQuotes()).toBe('firstword');

    for (const word of ['killedone', 'killedtwo', 'killedthree']) {
      await edit(word);
      // Frozen with its generation sent to the database and not committed, then killed there.
      const killed = indexer('generation-sent');
      await until('the indexer to pause mid-publish', () => killed.output().includes('paused after generation-sent') || killed.child.exitCode !== null, 120_000);
      expect(killed.child.exitCode, killed.output()).toBeNull();
      expect(await readerQuotes()).toBe('firstword');
      killed.child.kill('SIGKILL');
      await killed.exited;
      expect(freshProcessQuotes()).toBe('firstword');
      expect(await readerQuotes()).toBe('firstword');
    }

    await edit('lastword');
    const last = indexer();
    expect(await last.exited, last.output()).toBe(0);
    expect(freshProcessQuotes()).toBe('lastword');
    await until('the reader to quote the new publish', async () => (await readerQuotes()) === 'lastword', 60_000, 200);
    expect(reader.child.exitCode).toBeNull();
  }, 300_000);
});
