// Section 3: end to end, through openLibrary as the bot uses it. Per corpus: full index build,
// warm `ask` p50/p99 with a breakdown (query embedding, dense, lexical, fusion, quoting), cold start
// in a fresh process, and re-indexing after one page changes. Plus resident memory of an index of
// 100k passages (the docs corpus repeated, vectors from a hashing embedder: memory, not quality).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/config.js';
import { loadCorpus } from '../src/corpus/load.js';
import type { Embedder } from '../src/embed/embedder.js';
import { questionContent, questionVector } from '../src/embed/question-vector.js';
import { createEmbedder } from '../src/embed/select.js';
import { embeddingText } from '../src/index/embedding-text.js';
import { buildIndex } from '../src/index/indexer.js';
import { openIndex, readVectors, type LoadedIndex } from '../src/index/store.js';
import { updateIndex } from '../src/index/update.js';
import { openLibrary, searchable } from '../src/library.js';
import { createLogger } from '../src/log.js';
import { SPLITTER_VERSION, splitDocument } from '../src/passages/split.js';
import { rank, search, type SearchableIndex } from '../src/search/search.js';
import type { Document } from '../src/types.js';
import { HashEmbedder } from '../tests/helpers/hash-embedder.js';
import { exactSearch } from './vector-search.js';
import { interleavedLatency, latency, log, median, residentBytes, round, runChild, type Latency } from './measure.js';

const HERE = fileURLToPath(import.meta.url);
const quiet = createLogger({ level: 'error' });

export interface Corpus {
  name: string;
  /** A private copy: the re-index test edits a page in it. */
  dir: string;
  questions: string[];
  /** Path (relative to dir) of the page the re-index test edits. */
  editPage: string;
}

export interface EndToEndResult {
  corpus: string;
  documents: number;
  passages: number;
  build: { ms: number; embedMs: number; passagesPerSecond: number };
  ask: Latency;
  breakdown: { embedQuestion: Latency; dense: Latency; lexical: Latency; rankWithoutEmbedding: Latency; searchWithoutEmbedding: Latency };
  cold: { indexLoadMs: number; openLibraryMs: number; firstAnswerMs: number; processMs: number };
  /** The dense retriever on this corpus's real vectors: recall of the 50 candidates `ask` takes, by ef. */
  efSweep: DenseRecall[];
  reindex: { ms: number; passagesEmbedded: number; corpusMs: number; openMs: number; embedMs: number; writeMs: number; embeddingOnlyMs: number; exceptEmbeddingMs: number };
}

export interface DenseRecall {
  ef: number;
  queries: number;
  /** Candidates asked for (what rank() asks the dense retriever for). */
  k: number;
  recall: number;
  query: Latency;
}

const CANDIDATES = 50;
const EF_SWEEP = [16, 32, 64, 128, 256];

/**
 * Recall of HNSW's top-50 against an exact scan of the stored vectors, on the question embeddings
 * plus up to 300 passage vectors used as queries (real embeddings: their clustering, not synthetic).
 */
async function denseRecall(index: LoadedIndex, questionVectors: Float32Array[], configuredEf: number, runs: number): Promise<DenseRecall[]> {
  const dims = index.manifest.embedder.dims;
  const labels = [...index.passagesByLabel.keys()];
  const step = Math.max(1, Math.floor(labels.length / 300));
  const queries = [...questionVectors, ...labels.filter((_, i) => i % step === 0).slice(0, 300).map((label) => index.vector(label)!)];
  const k = Math.min(CANDIDATES, labels.length);
  const live = new Set(labels);
  const stored = await readVectors(index);
  const truth = queries.map((q) => exactSearch(stored, dims, q, k + 20).filter((label) => live.has(label)).slice(0, k));
  const out: DenseRecall[] = [];
  for (const ef of EF_SWEEP) {
    index.vectorIndex.setEf(ef);
    const query = await latency(queries, runs, (q) => index.vectorIndex.search(q, k));
    let hits = 0;
    queries.forEach((q, i) => {
      const expected = new Set(truth[i]);
      hits += index.vectorIndex.search(q, k).filter((hit) => expected.has(hit.label)).length;
    });
    out.push({ ef, queries: queries.length, k, recall: round(hits / (queries.length * k), 4), query: { p50: round(query.p50, 3), p99: round(query.p99, 3) } });
  }
  index.vectorIndex.setEf(configuredEf, true);
  return out;
}

export interface MemoryResult {
  passages: number;
  dims: number;
  vectorMB: number;
  passageTextMB: number;
  residentMB: number;
  /** Of which: V8 heap objects (documents, passages, maps) and array buffers (the BM25 arrays); the rest is mostly hnswlib's graph. */
  heapMB: number;
  arrayBuffersMB: number;
  ratio: number;
  openMs: number;
  lexical: Latency;
  dense: Latency;
}

function bundledConfig(dir: string, indexDir: string): Config {
  return { ...loadConfig(), docsDir: dir, indexDir, embeddingModel: 'bundled', offline: true };
}

/** An embedder that answers queries from a precomputed table: search cost without the model. */
function cachedEmbedder(inner: Embedder, vectors: Map<string, Float32Array>): Embedder {
  return { ...inner, id: inner.id, dims: inner.dims, maxChars: inner.maxChars, embedQuery: async (text) => vectors.get(text)!, embedPassages: () => Promise.reject(new Error('not here')), close: async () => undefined };
}

/** Appends a sentence to the first paragraph of a page (HTML or Markdown), changing its hash and one passage. */
async function editPage(file: string, round: number): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  const sentence = ` Benchmark edit number ${round} changes this paragraph.`;
  const edited = file.endsWith('.html') ? text.replace(/<\/p>/, `${sentence}</p>`) : text.replace(/\n\n(?=[^\n#-])([^\n]+)/, (_m, line: string) => `\n\n${line}${sentence}`);
  if (edited === text) throw new Error(`could not edit ${file}`);
  await fs.writeFile(file, edited);
}

export async function benchCorpus(corpus: Corpus, opts: { runs: number; coldRuns: number; reindexRuns: number; workDir: string }): Promise<EndToEndResult> {
  const indexDir = path.join(opts.workDir, `index-${corpus.name.replace(/\W+/g, '-')}`);
  await fs.rm(indexDir, { recursive: true, force: true });
  const config = bundledConfig(corpus.dir, indexDir);

  log(`end to end: ${corpus.name}: full build`);
  const embedder = await createEmbedder(config, () => undefined);
  let build: EndToEndResult['build'];
  let documents: number;
  let passages: number;
  try {
    const { report, index } = await buildIndex({ docsDir: corpus.dir, indexDir, embedder, hnsw: config.hnsw, progress: false });
    build = { ms: report.ms, embedMs: report.timings.embedMs, passagesPerSecond: round(report.passagesEmbedded / (report.timings.embedMs / 1000), 1) };
    documents = index.documents.size;
    passages = index.passagesByLabel.size;
  } finally {
    await embedder.close();
  }

  log(`end to end: ${corpus.name}: cold start (${opts.coldRuns} fresh processes)`);
  const colds: Array<EndToEndResult['cold']> = [];
  for (let run = 0; run < opts.coldRuns; run++) {
    colds.push(await runChild(HERE, ['--cold', corpus.dir, indexDir, corpus.questions[0]!]));
  }
  const cold = {
    indexLoadMs: round(median(colds.map((c) => c.indexLoadMs)), 0),
    openLibraryMs: round(median(colds.map((c) => c.openLibraryMs)), 0),
    firstAnswerMs: round(median(colds.map((c) => c.firstAnswerMs)), 0),
    processMs: round(median(colds.map((c) => c.processMs)), 0),
  };

  log(`end to end: ${corpus.name}: warm ask`);
  const library = await openLibrary({ config, log: quiet });
  try {
    const index = library.loaded;
    const view = searchable(index);
    const questions = corpus.questions;
    const inner = library.embedderInUse;
    // Every text search embeds (each question and its content, see questionVector), and the vectors searched with.
    const embedded = new Map<string, Float32Array>();
    for (const q of questions) for (const text of new Set([q, questionContent(q)])) embedded.set(text, await inner.embedQuery(text));
    const cached = cachedEmbedder(inner, embedded);
    const vectors = new Map(await Promise.all(questions.map(async (q) => [q, await questionVector(cached, q)] as const)));
    const ms = (l: Latency): Latency => ({ p50: round(l.p50, 3), p99: round(l.p99, 3) });
    // Interleaved, so ask and its parts see the same machine load.
    const t = await interleavedLatency(questions, opts.runs, {
      ask: { run: (q: string) => library.ask(q) },
      embedQuestion: { run: (q: string) => questionVector(inner, q) },
      dense: { run: (q: string) => view.dense(vectors.get(q)!, 50) },
      lexical: { run: (q: string) => view.lexical(q, 50) },
      rankWithoutEmbedding: { run: (q: string) => rank(view, cached, q, { k: config.topK }) },
      searchWithoutEmbedding: { run: (q: string) => search(view, cached, q, { k: config.topK }) },
    });
    const ask = t.ask;
    const breakdown = {
      embedQuestion: ms(t.embedQuestion),
      dense: ms(t.dense),
      lexical: ms(t.lexical),
      rankWithoutEmbedding: ms(t.rankWithoutEmbedding),
      searchWithoutEmbedding: ms(t.searchWithoutEmbedding),
    };

    const efSweep = await denseRecall(index, [...vectors.values()], config.hnsw.ef, opts.runs);

    log(`end to end: ${corpus.name}: re-index after one page changes (${opts.reindexRuns} times)`);
    const reindexes: Array<EndToEndResult['reindex']> = [];
    for (let run = 0; run < opts.reindexRuns; run++) {
      await editPage(path.join(corpus.dir, corpus.editPage), run + 1);
      const { passagesEmbedded, ms: total, changed } = await library.reindex();
      if (changed !== 1) throw new Error(`re-index saw ${changed} changed documents, expected 1`);
      // The library's report has no phases: repeat the same update through buildIndex for them.
      await editPage(path.join(corpus.dir, corpus.editPage), run + 101);
      const { report } = await buildIndex({ docsDir: corpus.dir, indexDir, embedder: inner, hnsw: config.hnsw, progress: false });
      const embeddingOnlyMs = await timeEmbedding(inner, corpus, passagesEmbedded);
      reindexes.push({ ms: total, passagesEmbedded, ...report.timings, embeddingOnlyMs, exceptEmbeddingMs: total - embeddingOnlyMs });
    }
    const pick = (key: keyof EndToEndResult['reindex']) => round(median(reindexes.map((r) => r[key])), 0);
    const reindex = {
      ms: pick('ms'),
      passagesEmbedded: pick('passagesEmbedded'),
      corpusMs: pick('corpusMs'),
      openMs: pick('openMs'),
      embedMs: pick('embedMs'),
      writeMs: pick('writeMs'),
      embeddingOnlyMs: pick('embeddingOnlyMs'),
      exceptEmbeddingMs: pick('exceptEmbeddingMs'),
    };
    return { corpus: corpus.name, documents, passages, build, ask: ms(ask), breakdown, cold, reindex, efSweep };
  } finally {
    await library.close();
  }
}

/** Time to embed the edited page's passages alone (what a re-index cannot avoid). */
async function timeEmbedding(embedder: Embedder, corpus: Corpus, expected: number): Promise<number> {
  const { documents } = await loadCorpus(corpus.dir);
  const id = corpus.editPage.replace(/\.[^.]+$/, '');
  const doc = documents.find((d) => d.id === id);
  if (!doc) throw new Error(`no document ${id}`);
  const texts = splitDocument(doc, { maxChars: embedder.maxChars }).map((p) => embeddingText(doc, p));
  if (texts.length !== expected) log(`  note: the edited page has ${texts.length} passages, the re-index embedded ${expected}`);
  const started = performance.now();
  await embedder.embedPassages(texts);
  return performance.now() - started;
}

/** Cold start in this (fresh) process: index load alone, then openLibrary and a first answer. */
async function coldChild(docsDir: string, indexDir: string, question: string): Promise<void> {
  const config = bundledConfig(docsDir, indexDir);
  let started = performance.now();
  const opened = await openIndex(indexDir, config.hnsw);
  if (!opened.ok) throw new Error(opened.message);
  const indexLoadMs = performance.now() - started;
  // Let the first load's garbage go before timing the real start.
  residentBytes();
  started = performance.now();
  const library = await openLibrary({ config, log: quiet });
  const openLibraryMs = performance.now() - started;
  await library.ask(question);
  const firstAnswerMs = performance.now() - started;
  // performance.now() counts from process start: module loading (through tsx here) is included.
  const processMs = performance.now() - indexLoadMs;
  await library.close();
  process.stdout.write(`${JSON.stringify({ indexLoadMs, openLibraryMs, firstAnswerMs, processMs })}\n`);
}

/**
 * Builds an index of about `passages` passages from `documents` repeated under new ids, with a
 * hashing embedder of `dims` dims (fast; vector values do not change memory), then opens it in a
 * fresh process to measure resident memory and load time.
 */
export async function benchMemory(documents: Document[], opts: { passages: number; dims: number; workDir: string; questions: string[] }): Promise<MemoryResult> {
  const embedder = new HashEmbedder({ dims: opts.dims, maxChars: 400, id: `bench-hash-${opts.dims}` });
  const copies: Document[] = [];
  let total = 0;
  for (let copy = 0; total < opts.passages; copy++) {
    for (const doc of documents) {
      if (total >= opts.passages) break;
      const id = `copy-${copy}/${doc.id}`;
      copies.push({ ...doc, id, path: `${id}.html`, hash: `${doc.hash}-${copy}` });
      total += splitDocument(doc, { maxChars: 400 }).length;
    }
  }
  const indexDir = path.join(opts.workDir, 'index-memory');
  await fs.rm(indexDir, { recursive: true, force: true });
  log(`memory: building an index of ${total} passages (${copies.length} documents, hashing embedder, ${opts.dims} dims)`);
  const started = performance.now();
  // efConstruction only changes build time and graph quality, not memory (M fixes the links per node): kept low to save minutes.
  const { index } = await updateIndex({ indexDir, documents: copies, splitter: { version: SPLITTER_VERSION, split: splitDocument }, embedder, hnsw: { ...loadConfig().hnsw, efConstruction: 40 }, progress: false });
  log(`memory: built in ${Math.round(performance.now() - started)} ms; opening it in a fresh process`);
  let textBytes = 0;
  for (const passage of index.passagesByLabel.values()) textBytes += Buffer.byteLength(passage.text);
  const vectorBytes = index.passagesByLabel.size * opts.dims * 4;
  const child = await runChild<{ residentBytes: number; heapBytes: number; arrayBufferBytes: number; openMs: number; lexical: Latency; dense: Latency }>(HERE, ['--memory', indexDir, String(opts.dims), JSON.stringify(opts.questions)]);
  const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
  return {
    passages: index.passagesByLabel.size,
    dims: opts.dims,
    vectorMB: mb(vectorBytes),
    passageTextMB: mb(textBytes),
    residentMB: mb(child.residentBytes),
    heapMB: mb(child.heapBytes),
    arrayBuffersMB: mb(child.arrayBufferBytes),
    ratio: round(child.residentBytes / (vectorBytes + textBytes), 2),
    openMs: round(child.openMs, 0),
    lexical: { p50: round(child.lexical.p50, 3), p99: round(child.lexical.p99, 3) },
    dense: { p50: round(child.dense.p50, 3), p99: round(child.dense.p99, 3) },
  };
}

async function memoryChild(indexDir: string, dims: number, questions: string[]): Promise<void> {
  const embedder = new HashEmbedder({ dims, maxChars: 400, id: `bench-hash-${dims}` });
  const before = residentBytes();
  const usageBefore = process.memoryUsage();
  const started = performance.now();
  const opened = await openIndex(indexDir, loadConfig().hnsw);
  if (!opened.ok) throw new Error(opened.message);
  const openMs = performance.now() - started;
  const after = residentBytes();
  const usageAfter = process.memoryUsage();
  const index = opened.index;
  const vectors = await Promise.all(questions.map((q) => questionVector(embedder, q)));
  const lexical = await latency(questions, 3, (q) => index.lexicalIndex.search(q, 50));
  const dense = await latency(vectors, 3, (v) => index.vectorIndex.search(v, 50));
  const heapBytes = usageAfter.heapUsed - usageBefore.heapUsed;
  const arrayBufferBytes = usageAfter.arrayBuffers - usageBefore.arrayBuffers;
  process.stdout.write(`${JSON.stringify({ residentBytes: after - before, heapBytes, arrayBufferBytes, openMs, lexical, dense })}\n`);
}

if (process.argv[2] === '--cold') {
  const [, , , docsDir, indexDir, question] = process.argv;
  await coldChild(docsDir!, indexDir!, question!);
} else if (process.argv[2] === '--memory') {
  const [, , , indexDir, dims, questions] = process.argv;
  await memoryChild(indexDir!, Number(dims), JSON.parse(questions!) as string[]);
}
