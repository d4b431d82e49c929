import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIndex } from '../src/index/indexer.js';
import { currentGeneration, openIndex } from '../src/index/store.js';
import { HashEmbedder } from './helpers/hash-embedder.js';

// An index answers for the docs folder it was built from: used with another folder it is refused
// with the way out, never served or silently replaced. The same folder is recognised by a relative
// path, through a symlink, and after the project holding docs and index has moved.
const root = path.resolve(import.meta.dirname, '..');
const hnsw = { m: 8, efConstruction: 64, ef: 32 };

let work: string;
let docsA: string;
let docsB: string;

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-docs-'));
  docsA = path.join(work, 'project', 'docs');
  docsB = path.join(work, 'other-docs');
  await fs.cp(path.join(root, 'tests/fixtures/bot-docs'), docsA, { recursive: true });
  await fs.mkdir(docsB);
  await fs.copyFile(path.join(root, 'tests/fixtures/bot-docs/onboarding.md'), path.join(docsB, 'onboarding.md'));
});

afterEach(() => fs.rm(work, { recursive: true, force: true }));

function build(docsDir: string, indexDir: string) {
  return buildIndex({ docsDir, indexDir, embedder: new HashEmbedder(), hnsw, progress: false });
}

describe('an index and its docs folder', () => {
  it('refuses to serve or update an index built from another folder, and leaves it as it was', async () => {
    const indexDir = path.join(work, 'project', 'index');
    await build(docsA, indexDir);
    const generation = await currentGeneration(indexDir);

    const opened = await openIndex(indexDir, hnsw, { docsDir: docsB });
    expect(opened).toMatchObject({ ok: false, reason: 'other-docs' });
    await expect(build(docsB, indexDir)).rejects.toThrow(`the index in ${indexDir} was built from ${await fs.realpath(docsA)}, not ${docsB}: give each docs folder its own index (--index DIR or INDEX_DIR)`);

    expect(await currentGeneration(indexDir)).toBe(generation);
    const kept = await openIndex(indexDir, hnsw, { docsDir: docsA });
    expect(kept.ok && [...kept.index.documents.keys()].sort()).toEqual(['deploys', 'hostile', 'onboarding']);
  });

  it('knows its folder by a relative path and through a symlink, without rewriting anything', async () => {
    const indexDir = path.join(work, 'project', 'index');
    await build(docsA, indexDir);
    const generation = await currentGeneration(indexDir);
    const link = path.join(work, 'docs-link');
    await fs.symlink(docsA, link);

    expect(await openIndex(indexDir, hnsw, { docsDir: path.relative(process.cwd(), docsA) })).toMatchObject({ ok: true });
    expect(await openIndex(indexDir, hnsw, { docsDir: link })).toMatchObject({ ok: true });
    const { report } = await build(link, indexDir);
    expect(report).toMatchObject({ unchanged: 3, passagesEmbedded: 0 });
    expect(await currentGeneration(indexDir)).toBe(generation);
  });

  it('still knows its folder after the project holding both has moved, and records the new place', async () => {
    await build(docsA, path.join(work, 'project', 'index'));
    await fs.rename(path.join(work, 'project'), path.join(work, 'moved'));
    const docs = path.join(work, 'moved', 'docs');
    const indexDir = path.join(work, 'moved', 'index');

    expect(await openIndex(indexDir, hnsw, { docsDir: docs })).toMatchObject({ ok: true });
    expect((await build(docs, indexDir)).report.passagesEmbedded).toBe(0);
    const opened = await openIndex(indexDir, hnsw);
    expect(opened.ok && opened.index.manifest.docs).toEqual({ path: await fs.realpath(docs), fromIndex: '../docs' });
  });

  it('makes the CLI refuse another folder in one line that says what to do', { timeout: 600_000 }, () => {
    const indexDir = path.join(work, 'index');
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), ...args, '--index', indexDir], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, EMBEDDING_MODEL: 'bundled', LOG_LEVEL: 'warn', DOCS_DIR: '', INDEX_DIR: '' },
      });
    expect(cli('index', '--docs', docsA).status).toBe(0);

    const expected = `archivist: the index in ${indexDir} was built from ${docsA}, not ${docsB}: give each docs folder its own index (--index DIR or INDEX_DIR), or delete ${indexDir} to rebuild it from ${docsB}\n`;
    for (const args of [['ask', 'How do deploys go out?'], ['index']]) {
      const run = cli(...args, '--docs', docsB);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(expected);
    }
    const answered = cli('ask', 'How do deploys go out?', '--docs', docsA);
    expect(answered.status).toBe(0);
    expect(answered.stdout).toContain('release pipeline');
  });
});
