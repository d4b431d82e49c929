import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openLibrary, type Library } from '../src/library.js';
import { createLogger } from '../src/log.js';
import { until } from './helpers/until.js';

// A serving library (the bot's, the console's) and an `archivist index` run in another process
// over the same index folder: answers come from the new generation without a restart.

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/bot-docs');
const NEW_DOC = `---
title: Bike storage
---

# Bike storage

Bikes go in the courtyard shed behind building C; the padlock combination is 6153.
`;
const QUESTION = 'What is the padlock combination of the bike shed?';

describe('a library following the index on disk', () => {
  let dir: string;
  let env: Record<string, string>;
  let library: Library;
  const warnings: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'archivist-follow-'));
    cpSync(FIXTURES, path.join(dir, 'docs'), { recursive: true });
    env = { DOCS_DIR: path.join(dir, 'docs'), INDEX_DIR: path.join(dir, 'index'), EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', MODEL_CACHE_DIR: path.join(dir, 'models') };
    const log = createLogger({ level: 'warn', write: (line) => warnings.push(line) });
    library = await openLibrary({ config: loadConfig(env, dir), log, refresh: true });
    library.follow(50);
  }, 60_000);

  afterAll(async () => {
    await library?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function indexInAnotherProcess() {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'index'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
  }

  it('answers from the generation another process wrote, without a re-index of its own', async () => {
    const before = library.status().documents;
    expect((await library.ask(QUESTION)).answered).toBe(false);
    writeFileSync(path.join(dir, 'docs', 'bikes.md'), NEW_DOC);
    indexInAnotherProcess();
    await until('the new generation', () => library.status().documents === before + 1);
    const answer = await library.ask(QUESTION);
    expect(answer.results[0]?.quote).toContain('the padlock combination is 6153');
    // Rows of lexical-only hits come from the new generation's vector file, not a deleted one.
    expect(library.loaded.dir).toBe(path.join(env.INDEX_DIR!, readFileSync(path.join(env.INDEX_DIR!, 'CURRENT'), 'utf8').trim()));
  }, 60_000);

  it('keeps answering from the index it has when CURRENT names a generation it cannot load', async () => {
    const current = path.join(env.INDEX_DIR!, 'CURRENT');
    const live = readFileSync(current, 'utf8');
    // A generation whose manifest is damaged (a missing one would be recovered from the live generation).
    const damaged = path.join(env.INDEX_DIR!, 'gen-1-1');
    mkdirSync(damaged);
    writeFileSync(path.join(damaged, 'manifest.json'), '{');
    writeFileSync(current, 'gen-1-1\n');
    try {
      await until('a warning', () => warnings.some((line) => line.includes('cannot be served')));
      expect((await library.ask(QUESTION)).results[0]?.quote).toContain('6153');
    } finally {
      writeFileSync(current, live);
      rmSync(damaged, { recursive: true, force: true });
    }
  }, 30_000);
});
