// The BM25 index: archivist's LexicalIndex (typed arrays, one binary file) against MiniSearch (what
// it replaced; same tokeniser, fields, boosts and BM25+ scoring) on real passages. Figures: build,
// save (serialise + write), bytes, load in a fresh process, resident memory, query p50/p99, and
// whether the top 10 agree.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch, { type Options } from 'minisearch';
import { HEADINGS_BOOST, LexicalIndex, TITLE_BOOST, type LexicalEntry } from '../src/index/lexical-index.js';
import { processTerm, tokenize } from '../src/index/tokenize.js';
import { interleavedLatency, log, median, residentBytes, round, runChild, type Latency } from './measure.js';

const HERE = fileURLToPath(import.meta.url);

const MINI_OPTIONS: Options<LexicalEntry> = { idField: 'label', fields: ['text', 'title', 'headings'], storeFields: [], tokenize, processTerm, autoVacuum: false };
const miniSearch = (mini: MiniSearch<LexicalEntry>, query: string, k: number) =>
  mini.search(query, { boost: { title: TITLE_BOOST, headings: HEADINGS_BOOST }, prefix: false, fuzzy: false, combineWith: 'OR' }).slice(0, k);

export interface LexicalResult {
  engine: string;
  passages: number;
  buildMs: number;
  saveMs: number;
  diskMB: number;
  loadMs: number;
  residentMB: number;
  query: Latency;
}

export interface LexicalComparison {
  passages: number;
  results: LexicalResult[];
  /** Share of queries whose top-10 labels are the same, in the same order. */
  sameTop10: number;
  /** Largest relative difference between the two engines' scores of the same hit. */
  maxScoreDifference: number;
}

export async function benchLexical(entries: LexicalEntry[], questions: string[], opts: { runs: number; workDir: string }): Promise<LexicalComparison> {
  log(`lexical: ${entries.length} passages`);
  const dir = await fs.mkdtemp(path.join(opts.workDir, 'lexical-'));
  let started = performance.now();
  const mini = new MiniSearch(MINI_OPTIONS);
  mini.addAll(entries);
  const miniBuild = performance.now() - started;
  started = performance.now();
  await fs.writeFile(path.join(dir, 'lexical.json'), JSON.stringify(mini));
  const miniSave = performance.now() - started;

  started = performance.now();
  const ours = LexicalIndex.create();
  ours.add(entries);
  await ours.compact();
  const oursBuild = performance.now() - started;
  started = performance.now();
  await fs.writeFile(path.join(dir, 'lexical.bin'), await ours.serialize());
  const oursSave = performance.now() - started;

  // Questions plus passage openings (longer, many-term queries).
  const queries = [...questions, ...entries.filter((_, i) => i % Math.max(1, Math.floor(entries.length / 100)) === 0).map((e) => e.text.split(/\s+/).slice(0, 8).join(' '))];
  let same = 0;
  let maxDiff = 0;
  for (const q of queries) {
    const a = miniSearch(mini, q, 10);
    const b = ours.search(q, 10);
    if (a.length === b.length && a.every((hit, i) => hit.id === b[i]!.label)) same++;
    a.forEach((hit, i) => {
      if (b[i]?.label === hit.id) maxDiff = Math.max(maxDiff, Math.abs(b[i]!.score - hit.score) / hit.score);
    });
  }
  const timings = await interleavedLatency(queries, opts.runs, {
    minisearch: { run: (q: string) => miniSearch(mini, q, 50) },
    ours: { run: (q: string) => ours.search(q, 50) },
  });

  const loads = { minisearch: [] as Array<{ loadMs: number; residentBytes: number }>, ours: [] as Array<{ loadMs: number; residentBytes: number }> };
  for (let run = 0; run < 3; run++) {
    loads.minisearch.push(await runChild(HERE, ['--load', 'minisearch', path.join(dir, 'lexical.json')]));
    loads.ours.push(await runChild(HERE, ['--load', 'ours', path.join(dir, 'lexical.bin')]));
  }
  const size = async (file: string) => (await fs.stat(path.join(dir, file))).size / 2 ** 20;
  const result = (engine: string, key: 'minisearch' | 'ours', buildMs: number, saveMs: number, diskMB: number): LexicalResult => ({
    engine,
    passages: entries.length,
    buildMs: round(buildMs, 0),
    saveMs: round(saveMs, 0),
    diskMB: round(diskMB, 1),
    loadMs: round(median(loads[key].map((l) => l.loadMs)), 0),
    residentMB: round(median(loads[key].map((l) => l.residentBytes)) / 2 ** 20, 1),
    query: { p50: round(timings[key].p50, 3), p99: round(timings[key].p99, 3) },
  });
  const out: LexicalComparison = {
    passages: entries.length,
    results: [
      result('MiniSearch 7 (JSON)', 'minisearch', miniBuild, miniSave, await size('lexical.json')),
      result('archivist LexicalIndex (binary)', 'ours', oursBuild, oursSave, await size('lexical.bin')),
    ],
    sameTop10: round(same / queries.length, 4),
    maxScoreDifference: maxDiff,
  };
  await fs.rm(dir, { recursive: true, force: true });
  return out;
}

async function loadChild(engine: string, file: string): Promise<void> {
  const before = residentBytes();
  const started = performance.now();
  let keep: unknown;
  if (engine === 'minisearch') {
    const mini = MiniSearch.loadJSON(await fs.readFile(file, 'utf8'), MINI_OPTIONS);
    miniSearch(mini, 'warm up', 1);
    keep = mini;
  } else {
    const ours = LexicalIndex.deserialize(await fs.readFile(file));
    ours.search('warm up', 1);
    keep = ours;
  }
  const loadMs = performance.now() - started;
  const after = residentBytes();
  process.stdout.write(`${JSON.stringify({ loadMs, residentBytes: after - before, kept: keep !== undefined })}\n`);
}

if (process.argv[2] === '--load') {
  await loadChild(process.argv[3]!, process.argv[4]!);
}
