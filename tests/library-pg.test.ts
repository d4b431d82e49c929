// Two processes and one database: `archivist index` in one process publishes each generation to
// PostgreSQL; a serving library elsewhere (an empty index folder, no documents of its own) builds
// its index from the database's rows at start, then applies each new generation in memory, and
// after a restart opens its own folder and catches up the same way. Whatever it answers came
// through the database: it has nothing to embed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openLibrary, type Library } from '../src/library.js';
import { createLogger } from '../src/log.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, tempPostgresDatabase } from './helpers/store.js';
import { makeDoc, splitByBlock } from './helpers/index-fixtures.js';
import { until } from './helpers/until.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/bot-docs');
const NEW_DOC = `---
title: Bike storage
---

# Bike storage

Bikes go in the courtyard shed behind building C; the padlock combination is 6153.
`;
const QUESTION = 'What is the padlock combination of the bike shed?';

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'a library served from PostgreSQL' : `a library served from PostgreSQL (${POSTGRES_SKIPPED})`, () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof tempPostgresDatabase>>;
  let indexer: Record<string, string>;
  let library: Library;
  let serving: Record<string, string>;

  function indexInAnotherProcess() {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'index'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...indexer, LOG_LEVEL: 'warn', ARCHIVIST_ENV_FILE: '' },
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'archivist-library-pg-'));
    db = await tempPostgresDatabase();
    cpSync(FIXTURES, path.join(dir, 'docs'), { recursive: true });
    const common = { EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', MODEL_CACHE_DIR: path.join(dir, 'models'), DATABASE_URL: db.url };
    indexer = { ...common, DOCS_DIR: path.join(dir, 'docs'), INDEX_DIR: path.join(dir, 'indexer-index') };
    indexInAnotherProcess();
    // The serving process has no documents at all: whatever it answers came through the database.
    mkdirSync(path.join(dir, 'no-docs'));
    serving = { ...common, DOCS_DIR: path.join(dir, 'no-docs'), INDEX_DIR: path.join(dir, 'serving-index') };
    library = await openLibrary({ config: loadConfig(serving, dir), log: createLogger({ level: 'error' }), follow: true });
  }, 120_000);

  afterAll(async () => {
    await library?.close();
    await db?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds its empty index folder from the published rows at start', () => {
    expect(library.status().documents).toBe(3);
    expect(existsSync(path.join(dir, 'serving-index', 'CURRENT'))).toBe(true);
  });

  it('refuses to re-index the library from its own, other docs folder (which would publish it empty)', async () => {
    await expect(library.reindex()).rejects.toThrow(/was built from .*, not /);
    expect(library.status().documents).toBe(3);
  });

  it('`archivist index` on a new machine, with a copy of the docs elsewhere, takes the library from the database and embeds nothing', () => {
    cpSync(path.join(dir, 'docs'), path.join(dir, 'docs-copy'), { recursive: true });
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'index'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...indexer, DOCS_DIR: path.join(dir, 'docs-copy'), INDEX_DIR: path.join(dir, 'new-machine-index'), LOG_LEVEL: 'info', ARCHIVIST_ENV_FILE: '' },
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/built the index from the database without embedding/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/embedding \d+ passages/);
    expect(result.stdout).toContain('index ready: 3 documents');
  }, 120_000);

  it('answers from a generation published by another process, without a re-index of its own', async () => {
    const before = library.status().documents;
    expect((await library.ask(QUESTION)).answered).toBe(false);
    writeFileSync(path.join(dir, 'docs', 'bikes.md'), NEW_DOC);
    indexInAnotherProcess();
    const finished = Date.now();
    await until('the new generation', () => library.status().documents === before + 1);
    console.log(`serving the new generation ${Date.now() - finished} ms after the indexer process exited`);
    const answer = await library.ask(QUESTION);
    expect(answer.results[0]?.quote).toContain('the padlock combination is 6153');
  }, 120_000);

  it('after an edit and a removal elsewhere, answers and source lookups show the new text, and nothing of the old', async () => {
    const deploys = path.join(dir, 'docs', 'deploys.md');
    const question = 'When do deploys go out through the release pipeline?';
    expect((await library.ask(question)).results[0]?.quote).toContain('10:00 and 15:00 UTC');
    writeFileSync(deploys, readFileSync(deploys, 'utf8').replace('every weekday at 10:00 and 15:00 UTC', 'every weekday at 09:30 and 14:30 UTC'));
    rmSync(path.join(dir, 'docs', 'hostile.md'));
    const before = library.status().indexedAt.getTime();
    indexInAnotherProcess();
    await until('the edited generation', () => library.status().indexedAt.getTime() > before);

    const answer = await library.ask(question);
    expect(answer.results[0]?.quote).toContain('09:30 and 14:30 UTC');
    expect(answer.results.some((result) => result.quote.includes('10:00 and 15:00'))).toBe(false);
    expect(library.source('deploys:1')?.passage).toContain('09:30 and 14:30 UTC');
    expect(library.indexedDocument('deploys')?.document.text).toContain('09:30 and 14:30 UTC');
    expect(library.documents().map((doc) => doc.id).sort()).toEqual(['bikes', 'deploys', 'onboarding']);
    expect(library.indexedDocument('hostile')).toBeNull();
    expect(library.source('hostile:1')).toBeNull();
    expect((await library.ask('How long do restores from the glacier archive take?')).answered).toBe(false);
  }, 120_000);

  it('restarted, opens its own folder and catches up with what was published since', async () => {
    const newest = library.status();
    await library.close();
    library = await openLibrary({ config: loadConfig(serving, dir), log: createLogger({ level: 'error' }) });
    expect(library.status()).toMatchObject({ documents: newest.documents, passages: newest.passages, indexedAt: newest.indexedAt });
    expect(library.source('deploys:1')?.passage).toContain('09:30 and 14:30 UTC');
    expect(library.indexedDocument('hostile')).toBeNull();
  }, 120_000);

  it('a question in flight while a generation is applied is searched in the new one alone', async () => {
    // Applied by hand between the question's lexical search and its awaited embedding (search.ts
    // reads the BM25 indexes before the await). The new document takes every free label, those of
    // the removed one included: searched only once, the removed passages' BM25 scores would rank
    // the new passages that took their labels.
    const question = 'How long does approval of VPN access take?';
    const lockers = makeDoc('lockers', 'Lockers', [
      { paragraphs: Array.from({ length: 40 }, (_, i) => `Locker ${i + 1} on the second floor is assigned by facilities; its key is kept at reception.`) },
    ]);
    const passages = splitByBlock(lockers);
    const rows = await library.embedTexts(passages.map((passage) => passage.text));
    const vectors = new Float32Array(rows.length * rows[0]!.length);
    rows.forEach((row, i) => vectors.set(row, i * row.length));
    const pending = library.retrieve(question, 5, 'hybrid');
    library.apply(library.served(), { removed: ['onboarding'], fresh: [{ doc: lockers, passages, vectors }], createdAt: new Date().toISOString() });
    const during = await pending;
    expect(during).toEqual(await library.retrieve(question, 5, 'hybrid'));
    expect(during.hits.some((hit) => hit.path === 'onboarding.md')).toBe(false);
  }, 120_000);
});
