import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openLibrary, type Library } from '../src/library.js';
import { acquireWriteLock } from '../src/index/lock.js';
import { createLogger } from '../src/log.js';
import { watchDocs } from '../src/watch.js';
import { REPO_ROOT, startBotProcess, type BotProcess } from './discord-double/bot-process.js';
import { startDiscordDouble, type DiscordDouble } from './discord-double/index.js';
import { until } from './helpers/until.js';

// Keeping the index in step with the docs folder: `archivist index --watch` and the running bot.

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/bot-docs');
const NEW_DOC = `---
title: Parking
---

# Parking

Visitors park on level minus two of the Quarry Lane garage; the gate code is 4471.
`;

describe('watchDocs', () => {
  let dir: string;
  let docsDir: string;
  let library: Library;
  let reindexes = 0;
  let documentsAtStart = 0;
  const stop = new AbortController();
  let watching: Promise<void>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'archivist-watch-'));
    docsDir = path.join(dir, 'docs');
    cpSync(FIXTURES, docsDir, { recursive: true });
    const indexDir = path.join(docsDir, '.index'); // inside the docs folder: its own writes must not count
    const config = loadConfig({ DOCS_DIR: docsDir, INDEX_DIR: indexDir, EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', MODEL_CACHE_DIR: path.join(dir, 'models') }, dir);
    const log = createLogger({ level: 'warn', write: () => undefined });
    library = await openLibrary({ config, log, refresh: true });
    // Written after the index was built and before the watch begins: as while a bot is down.
    writeFileSync(path.join(docsDir, 'early.md'), NEW_DOC.replace('Parking', 'Lost and found').replace('Visitors park on level minus two of the Quarry Lane garage; the gate code is 4471.', 'Lost items wait at the front desk for thirty days.'));
    documentsAtStart = library.status().documents;
    const counting = { reindex: () => (reindexes++, library.reindex()) };
    watching = watchDocs({ library: counting, docsDir, log, quietMs: 200, ignore: [indexDir], signal: stop.signal });
  }, 60_000);

  afterAll(async () => {
    stop.abort();
    await watching;
    await library?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up with a file added before the watch began', async () => {
    await until('the early document', () => library.status().documents === documentsAtStart + 1);
    expect((await library.ask('How long do lost items wait at the front desk?')).results[0]?.quote).toContain('thirty days');
  });

  it('indexes an added file, a changed one and a removed one, without a restart', async () => {
    const before = library.status().documents;
    writeFileSync(path.join(docsDir, 'parking.md'), NEW_DOC);
    await until('the new document', () => library.status().documents === before + 1);
    const answer = await library.ask('What is the gate code of the visitor parking?');
    expect(answer.results[0]?.quote).toContain('the gate code is 4471');

    writeFileSync(path.join(docsDir, 'parking.md'), NEW_DOC.replace('4471', '9902'));
    await until('the changed document', async () => (await library.ask('What is the gate code of the visitor parking?')).results[0]?.quote.includes('9902'));

    unlinkSync(path.join(docsDir, 'parking.md'));
    await until('the removed document', () => library.status().documents === before);
    expect(library.source('parking:1')).toBeNull();
  }, 60_000);

  it('does not re-index for writes in the index folder inside the docs folder', async () => {
    await new Promise((resolve) => setTimeout(resolve, 600));
    const settled = reindexes;
    mkdirSync(path.join(docsDir, '.index', 'scratch'), { recursive: true });
    writeFileSync(path.join(docsDir, '.index', 'scratch', 'x.txt'), 'not a document');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(reindexes).toBe(settled);
    // …while a write elsewhere in the folder does.
    writeFileSync(path.join(docsDir, 'notes.txt'), 'Lunch is served at noon in the atrium.');
    await until('a re-index', () => reindexes > settled);
  }, 30_000);

  it('re-indexes once another build holding the index has finished, for the change it saw meanwhile', async () => {
    // As `archivist index` would; the re-index the last test started may still hold the lock.
    const release = (await until('the write lock', () => acquireWriteLock(path.join(docsDir, '.index')).catch(() => null), 60_000))!;
    const before = library.status().documents;
    try {
      writeFileSync(path.join(docsDir, 'cafeteria.md'), NEW_DOC.replace('Parking', 'Cafeteria').replace('Visitors park', 'Staff eat'));
      const attempts = reindexes;
      await until('a refused attempt', () => reindexes > attempts);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(library.status().documents).toBe(before);
    } finally {
      await release();
    }
    await until('the document, once the lock is free', () => library.status().documents === before + 1);
  }, 30_000);
});

describe('the running bot', () => {
  let double: DiscordDouble;
  let bot: BotProcess;
  let docsDir: string;

  beforeAll(async () => {
    docsDir = mkdtempSync(path.join(tmpdir(), 'archivist-watch-bot-'));
    cpSync(FIXTURES, docsDir, { recursive: true });
    double = await startDiscordDouble();
    bot = await startBotProcess(double, { docsDir });
  }, 180_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) await bot.stop('SIGKILL');
    await double?.close();
    rmSync(docsDir, { recursive: true, force: true });
  });

  it('answers from a document dropped into the folder while it runs', async () => {
    const question = 'What is the gate code of the visitor parking?';
    const first = await double.waitForFinal(double.slash('ask', { question }), 30_000);
    expect(first.original!.embeds[0].description).toContain('Not found in the library');

    writeFileSync(path.join(docsDir, 'parking.md'), NEW_DOC);
    await bot.waitForOutput(/indexed \d+ documents.*added 1/, 30_000);
    const second = await double.waitForFinal(double.slash('ask', { question }), 30_000);
    expect(JSON.stringify(second.original!.embeds[0].fields)).toContain('gate code is 4471');
  }, 90_000);
});

describe('what watching logs', () => {
  afterEach(() => vi.useRealTimers());

  it('re-indexes at the start only when asked to catch up', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'archivist-watch-catchup-'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const counts: number[] = [];
      for (const catchUp of [true, false]) {
        let reindexes = 0;
        const library = { reindex: async () => (reindexes++, { added: 0, changed: 0, removed: 0, unchanged: 0, passagesEmbedded: 0, ms: 0 }) };
        const stop = new AbortController();
        const watching = watchDocs({ library, docsDir: dir, log: createLogger({ write: () => undefined }), catchUp, signal: stop.signal });
        await vi.advanceTimersByTimeAsync(60_000);
        stop.abort();
        await watching;
        counts.push(reindexes);
      }
      expect(counts).toEqual([1, 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`archivist index --watch`: one line per change, a skipped file warned about once, at warn level', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'archivist-watch-log-'));
    const docsDir = path.join(dir, 'docs');
    cpSync(FIXTURES, docsDir, { recursive: true });
    writeFileSync(path.join(docsDir, 'logo.png'), 'not a document');
    const env = { ...process.env, EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', MODEL_CACHE_DIR: path.join(dir, 'models'), LOG_LEVEL: 'info', LOG_FORMAT: '' };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli.ts'), 'index', '--watch', '--docs', docsDir, '--index', path.join(dir, 'index')], { cwd: REPO_ROOT, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await until('the watch', () => stderr.includes('watching'), 120_000);
      for (const [i, file] of ['deploys.md', 'onboarding.md'].entries()) {
        writeFileSync(path.join(docsDir, file), `\nAppended line ${i} for the watch test.\n`, { flag: 'a' });
        await until(`re-index ${i + 1}`, () => (stderr.split('watching')[1]!.match(/indexed \d+ documents/g) ?? []).length === i + 1, 60_000);
      }
      const lines = stderr.split('\n');
      const afterStart = stderr.split('watching')[1]!.split('\n').filter((line) => line.trim() !== '');
      // Each change: its embedding lines and one line saying what was indexed; nothing for nothing.
      expect(afterStart.filter((line) => /index updated|index is up to date/.test(line))).toEqual([]);
      const skipped = lines.filter((line) => line.includes('logo.png'));
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatch(/ warn  warning: logo\.png: skipped: unsupported file type/);
    } finally {
      child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
