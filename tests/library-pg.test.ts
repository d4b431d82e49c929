// Two processes and one database: `archivist index` in one process publishes each generation to
// PostgreSQL; a serving library elsewhere (its own index folder, no documents of its own) loads
// the published one at start and answers from each new one without building or embedding.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openLibrary, type Library } from '../src/library.js';
import { createLogger } from '../src/log.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, tempPostgresDatabase } from './helpers/store.js';
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
    const serving = { ...common, DOCS_DIR: path.join(dir, 'no-docs'), INDEX_DIR: path.join(dir, 'serving-index') };
    library = await openLibrary({ config: loadConfig(serving, dir), log: createLogger({ level: 'error' }), follow: true });
  }, 120_000);

  afterAll(async () => {
    await library?.close();
    await db?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the published generation at start instead of building one', () => {
    expect(library.status().documents).toBeGreaterThan(0);
  });

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
});
