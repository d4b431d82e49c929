// Damage injection: for each file of a generation (and CURRENT), many random in-place corruptions
// (random offset and length, size unchanged, every byte changed) plus a truncation; after each, the
// CLI answers a fixed set of questions in a child process. Counts: crashes (a signal or a non-zero
// exit), answers that differ from the undamaged index's, cases not reported (exactly one warn line
// naming the damage), log output carrying control characters, and cases not repaired (the index
// on disk must open cleanly afterwards).
//
//   npm run build && npx tsx bench/damage.ts [--cases 50] [--seed 1] [--docs seeds] [--files a,b]
//
// Each file's damage comes from its own generator (seed and file name), so a run over some of the
// files (--files, to spread a long run over processes) damages them as the full run does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openIndex } from '../src/index/store.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const FILES = ['manifest.json', 'vectors.hnsw', 'vectors.f32', 'passages.json', 'documents.json', 'lexical.bin', 'pages.bin', 'CURRENT'];
/** Questions over the seeds: dense and lexical matches, and one the library cannot answer. */
const QUESTIONS = [
  'Which Indo-Pacific partners attended the NAC briefing?',
  'Where in Russia were most of the North Korean troops sent?',
  'How many North Korean troops are in Russia?',
  'What happened to civilians forced from their homes?',
  'Who confirmed the deployment of North Korean soldiers?',
  'How do I undo the last git commit?',
];
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    docs: { type: 'string', default: 'seeds' },
    files: { type: 'string', default: FILES.join(',') },
  },
});
const cases = Number(values.cases);
const files = values.files.split(',');
const unknown = files.filter((file) => !FILES.includes(file));
if (unknown.length > 0) throw new Error(`--files: unknown ${unknown.join(', ')} (files: ${FILES.join(', ')})`);
let random = mulberry32(0);

/** A small seeded generator: the same seed gives the same damage. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const below = (n: number) => Math.floor(random() * n);

function cli(args: string[], docsDir: string, indexDir: string, input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, DOCS_DIR: docsDir, INDEX_DIR: indexDir, EMBEDDING_MODEL: 'bundled', LOG_LEVEL: 'warn', LOG_FORMAT: '' },
    timeout: 300_000,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Overwrites a random stretch in place (each byte XORed with a non-zero value, so it changes), or truncates. */
async function damage(file: string, truncate: boolean): Promise<string> {
  const bytes = await fs.readFile(file);
  if (truncate) {
    const size = below(bytes.length);
    await fs.truncate(file, size);
    return `truncated to ${size} of ${bytes.length} bytes`;
  }
  const offset = below(bytes.length);
  const length = 1 + below(Math.min(4096, bytes.length - offset));
  for (let i = offset; i < offset + length; i++) bytes[i] = bytes[i]! ^ (1 + below(255));
  await fs.writeFile(file, bytes);
  return `${length} bytes at ${offset} of ${bytes.length}`;
}

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-damage-'));
try {
  const docsDir = path.join(work, 'docs');
  await fs.cp(path.resolve(ROOT, values.docs), docsDir, { recursive: true });
  const pristine = path.join(work, 'pristine');
  const built = cli(['index'], docsDir, pristine);
  if (built.code !== 0) throw new Error(`building the index failed:\n${built.stderr}`);
  const input = QUESTIONS.join('\n') + '\n';
  const baseline = cli(['ask', '--json'], docsDir, pristine, input);
  if (baseline.code !== 0 || baseline.stderr.trim() !== '') throw new Error(`the undamaged index does not answer cleanly:\n${baseline.stderr}`);
  const generation = (await fs.readFile(path.join(pristine, 'CURRENT'), 'utf8')).trim();

  console.log(`${QUESTIONS.length} questions over ${values.docs}; ${cases} corruptions + 1 truncation per file, seed ${values.seed}\n`);
  console.log('file            cases  crashes  differing  unreported  raw-bytes  unrepaired');
  const totals = { cases: 0, crashes: 0, differing: 0, unreported: 0, raw: 0, unrepaired: 0 };
  for (const name of files) {
    random = mulberry32(Number(values.seed) * 1000 + FILES.indexOf(name));
    const row = { cases: 0, crashes: 0, differing: 0, unreported: 0, raw: 0, unrepaired: 0 };
    for (let i = 0; i <= cases; i++) {
      const indexDir = path.join(work, 'case');
      await fs.rm(indexDir, { recursive: true, force: true });
      await fs.cp(pristine, indexDir, { recursive: true });
      const file = name === 'CURRENT' ? path.join(indexDir, name) : path.join(indexDir, generation, name);
      const what = await damage(file, i === cases);
      const run = cli(['ask', '--json'], docsDir, indexDir, input);
      const warnings = run.stderr.split('\n').filter((line) => / warn /.test(line));
      const problems: string[] = [];
      if (run.signal !== null || run.code !== 0) problems.push('crash'), row.crashes++;
      else if (answers(run.stdout) !== answers(baseline.stdout)) problems.push('differs'), row.differing++;
      // CURRENT is the one file whose damage can leave nothing to notice (a byte past its newline).
      const reported = warnings.length === 1 && warnings[0]!.includes(name);
      if (!reported && !(name === 'CURRENT' && warnings.length === 0 && (await currentIntact(indexDir, generation)))) problems.push('unreported'), row.unreported++;
      if (CONTROL.test(run.stderr)) problems.push('raw bytes in the log'), row.raw++;
      const after = await openIndex(indexDir, { ef: 64 });
      if (!after.ok || after.recovered) problems.push('unrepaired'), row.unrepaired++;
      row.cases++;
      if (problems.length > 0) console.log(`  ${name} ${what}: ${problems.join(', ')}\n${run.stderr.trim().slice(0, 600)}`);
    }
    console.log(`${name.padEnd(15)} ${String(row.cases).padStart(5)}  ${String(row.crashes).padStart(7)}  ${String(row.differing).padStart(9)}  ${String(row.unreported).padStart(10)}  ${String(row.raw).padStart(9)}  ${String(row.unrepaired).padStart(10)}`);
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += row[key];
  }
  const t = totals;
  console.log(`${'total'.padEnd(15)} ${String(t.cases).padStart(5)}  ${String(t.crashes).padStart(7)}  ${String(t.differing).padStart(9)}  ${String(t.unreported).padStart(10)}  ${String(t.raw).padStart(9)}  ${String(t.unrepaired).padStart(10)}`);
} finally {
  await fs.rm(work, { recursive: true, force: true });
}

/** The answers without their timings: one JSON line per question, `ms` dropped. */
function answers(stdout: string): string {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.stringify({ ...JSON.parse(line), ms: undefined }))
    .join('\n');
}

/** Whether CURRENT still names the generation once trimmed (damage only to what follows its newline). */
async function currentIntact(indexDir: string, generation: string): Promise<boolean> {
  return (await fs.readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim() === generation;
}
