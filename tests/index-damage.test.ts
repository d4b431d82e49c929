import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { currentGeneration, openIndex, printable } from '../src/index/store.js';

// A damaged index as a user meets it: the CLI in a child process (a crash is a signal or a non-zero
// exit) over a real index of the fixture docs, damaged byte by byte on disk.
const root = path.resolve(import.meta.dirname, '..');
const QUESTIONS = ['How do deploys go out?', 'Who do I ask for access on my first day?', 'How do I roll back a release?'];
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let work: string;
let docsDir: string;
let pristine: string;
let indexDir: string;
let generation: string;
let baseline: string;

function cli(args: string[], index = indexDir, input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, DOCS_DIR: docsDir, INDEX_DIR: index, EMBEDDING_MODEL: 'bundled', LOG_LEVEL: 'warn', LOG_FORMAT: '' },
  });
  const warnings = result.stderr.split('\n').filter((line) => / warn /.test(line));
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, warnings };
}

/** The answers to QUESTIONS, without their timings. */
function ask(index = indexDir) {
  const run = cli(['ask', '--json'], index, QUESTIONS.join('\n') + '\n');
  const answers = run.stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.stringify({ ...JSON.parse(line), ms: undefined }))
    .join('\n');
  return { ...run, answers };
}

/** Overwrites `length` bytes at `offset` with bytes that differ from each original (size unchanged). */
async function overwrite(file: string, offset: number, length: number, fill = (byte: number) => byte ^ 0xa5): Promise<void> {
  const bytes = await fs.readFile(file);
  for (let i = offset; i < offset + length; i++) bytes[i] = fill(bytes[i]!);
  await fs.writeFile(file, bytes);
}

const inGeneration = (file: string) => path.join(indexDir, generation, file);

// Each case runs the CLI two or three times (about 3 s each on an idle machine): generous limits, as no test waits on speed.
beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-damage-'));
  docsDir = path.join(work, 'docs');
  await fs.cp(path.join(root, 'tests/fixtures/bot-docs'), docsDir, { recursive: true });
  pristine = path.join(work, 'pristine');
  const built = cli(['index'], pristine);
  expect(built.code, built.stderr).toBe(0);
  generation = (await currentGeneration(pristine))!;
  const first = ask(pristine);
  expect(first.code, first.stderr).toBe(0);
  expect(first.answers).toContain('release pipeline');
  baseline = first.answers;
}, 600_000);

afterAll(() => fs.rm(work, { recursive: true, force: true }));

beforeEach(async () => {
  indexDir = path.join(work, `case-${Math.random().toString(36).slice(2)}`);
  await fs.cp(pristine, indexDir, { recursive: true });
});

/** The same answers as the undamaged index, the damage reported in one printable warn line, and an index that opens cleanly after. */
async function expectReportedAndRepaired(run: ReturnType<typeof ask>, file: string, repair: RegExp): Promise<void> {
  expect(run.signal).toBeNull();
  expect(run.code, run.stderr).toBe(0);
  expect(run.answers).toBe(baseline);
  expect(run.warnings).toHaveLength(1);
  expect(run.warnings[0]).toContain(file);
  expect(run.warnings[0]).toMatch(repair);
  expect(run.stderr).not.toMatch(CONTROL);
  expect(await openIndex(indexDir, { ef: 64 })).toMatchObject({ ok: true });
  const again = ask();
  expect(again.answers).toBe(baseline);
  expect(again.warnings).toEqual([]);
}

describe('a damaged index', { timeout: 600_000 }, () => {
  it('does not crash on 4,000 overwritten bytes in the graph: it is rebuilt from the stored vectors', async () => {
    const { size } = await fs.stat(inGeneration('vectors.hnsw'));
    await overwrite(inGeneration('vectors.hnsw'), Math.floor(size / 3), 4000);
    await expectReportedAndRepaired(ask(), 'vectors.hnsw', /graph rebuilt from the stored vectors/);
  });

  it('notices 64 damaged bytes in vectors.f32 and embeds the passages again', async () => {
    await overwrite(inGeneration('vectors.f32'), 2048, 64);
    await expectReportedAndRepaired(ask(), 'vectors.f32', /vectors embedded again/);
  });

  it('treats a damaged manifest as a damaged generation and rebuilds', async () => {
    const text = await fs.readFile(inGeneration('manifest.json'), 'utf8');
    // NULs and a CSI in the middle of the document table: none of them may reach the log.
    await overwrite(inGeneration('manifest.json'), text.indexOf('"documents"') + 20, 6, (_byte) => 0);
    await overwrite(inGeneration('manifest.json'), text.indexOf('"counts"') + 12, 1, () => 0x9b);
    await expectReportedAndRepaired(ask(), 'manifest.json', /rebuilding the index from scratch/);
  });

  it('repairs a truncated BM25 index', async () => {
    await fs.truncate(inGeneration('lexical.bin'), 100);
    await expectReportedAndRepaired(ask(), 'lexical.bin', /BM25 index rebuilt/);
  });

  it('makes "archivist index" repair a damaged graph rather than call the index up to date', async () => {
    await overwrite(inGeneration('vectors.hnsw'), 1000, 4000);
    const run = cli(['index']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/vectors\.hnsw fails its checksum; repaired/);
    expect(await openIndex(indexDir, { ef: 64 })).toMatchObject({ ok: true });
    expect(ask().answers).toBe(baseline);
  });

  it('recovers a deleted CURRENT from the generation beside it, embedding nothing', async () => {
    await fs.rm(path.join(indexDir, 'CURRENT'));
    const run = cli(['index'], indexDir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/CURRENT was missing .* names gen-/);
    // The generation is served as it was: same folder, nothing embedded or rewritten.
    expect(await currentGeneration(indexDir)).toBe(generation);
    expect((await fs.readdir(indexDir)).filter((name) => name.startsWith('gen-'))).toEqual([generation]);
    expect(ask().answers).toBe(baseline);
  });
});

describe('printable', () => {
  it('escapes control characters and lone surrogates, and cuts long text', () => {
    expect(printable('Unexpected token \u0000\u001b[2J\u009b in JSON')).toBe('Unexpected token \\u0000\\u001b[2J\\u009b in JSON');
    expect(printable('caf\u00e9 \ud83d\ude00 \ud800')).toBe('caf\u00e9 \ud83d\ude00 \\ud800');
    expect(printable('x'.repeat(300))).toHaveLength(201);
  });
});
