// Brings the on-disk index in line with a set of documents, re-embedding only what changed.
//
// Documents are compared with the live manifest by content hash. Unchanged documents keep their
// passages, labels and stored vectors; new and changed ones are split and embedded; removed ones
// disappear. Normally the previous graph and BM25 index are patched (labels of changed/removed
// passages are marked deleted and reused by new passages; patch-indexes.ts, shared with a process
// applying another's generation in memory), which keeps a one-page edit cheap.
// The graph is rebuilt from the stored vectors, without re-embedding, when the HNSW build
// parameters changed or deleted slots outnumber live ones. Everything is re-embedded when there is
// no usable previous index (missing, unreadable, other format version, other embedder). Stored
// vectors are read from the previous generation's vectors.f32 here: an opened index does not keep them.
// `buildFromVectors` builds a generation from passages already embedded (the database's rows).
//
// A damaged previous generation is first repaired from its intact files (repair.ts), a live
// generation CURRENT lost is pointed at again, and an index built from another docs folder is
// refused (docs-folder.ts).

import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { Embedder } from '../embed/embedder.js';
import { currentScale, measureScale } from '../embed/similarity-scale.js';
import type { Document, LoadIssue, Passage } from '../types.js';
import { Checkpoints } from './checkpoints.js';
import { docsFolderRecord } from './docs-folder.js';
import { embeddingText } from './embedding-text.js';
import { lexicalEntry, pageEntry } from './entries.js';
import { patchIndexes, patchTargetOf, type FreshDocument } from './patch-indexes.js';
import { HnswIndex, type HnswParams } from './hnsw-index.js';
import { LexicalIndex, type LexicalEntry } from './lexical-index.js';
import { acquireWriteLock } from './lock.js';
import { startProgress } from './progress.js';
import { repairedContent } from './repair.js';
import {
  openIndex,
  printable,
  readVectors,
  removeLeftovers,
  restoreCurrent,
  writeGeneration,
  type DocsFolder,
  type EmbedderIdentity,
  type GenerationContent,
  type IndexedPassage,
  type LoadedIndex,
} from './store.js';
import { pauseIfRequested } from './test-pause.js';

export interface IndexReport {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Passages embedded by this run (not counting vectors reused from the index or from checkpoints). */
  passagesEmbedded: number;
  ms: number;
  /** Where the time went, in milliseconds (for benchmarks and slow-build diagnosis). */
  timings: IndexTimings;
  issues: LoadIssue[];
}

export interface IndexTimings {
  /** Reading the docs folder (set by buildIndex; 0 when documents were passed in). */
  corpusMs: number;
  /** Opening the previous generation. */
  openMs: number;
  /** Splitting and embedding new and changed documents (checkpoints included). */
  embedMs: number;
  /** Patching or building the graph and BM25 index, and writing the new generation. */
  writeMs: number;
}

export interface IndexResult {
  index: LoadedIndex;
  report: IndexReport;
}

/** How documents become passages. `version` must change whenever a document would split differently. */
export interface Splitter {
  version: string;
  split(doc: Document, opts: { maxChars: number }): Passage[];
}

export interface UpdateOptions {
  indexDir: string;
  /**
   * The documents to index, or a loader that gets the previous index first (under the write lock),
   * so that files whose bytes are unchanged need not be parsed again.
   */
  documents: Document[] | ((previous: LoadedIndex | null) => Promise<Document[]>);
  splitter: Splitter;
  embedder: Embedder;
  hnsw: HnswParams;
  /** Loader issues, passed through to the report. */
  issues?: LoadIssue[];
  /**
   * The docs folder the documents come from: recorded in the index, and an index recorded for
   * another folder is refused (an Error saying what to do) rather than replaced.
   */
  docsDir?: string;
  log?: (line: string) => void;
  /** Damage found and repaired, once per damaged generation (default: `log`). */
  warn?: (line: string) => void;
  /** A progress bar on stderr when it is a terminal (default true); plain log lines otherwise. */
  progress?: boolean;
  /** Called as documents are embedded: how many of the new and changed ones are done (the bot shows it). */
  onProgress?: (progress: BuildProgress) => void;
}

export interface BuildProgress {
  documents: number;
  total: number;
}

/** Passages added to a new graph between turns of the event loop (see `build`). */
const BUILD_SLICE_PASSAGES = 256;

/** Passages per embedding call; each call's documents are checkpointed when it returns, so an interruption loses at most one. */
const CHECKPOINT_PASSAGES = 128;

interface Plan {
  added: Document[];
  changed: Document[];
  unchanged: Document[];
  removed: string[];
}

/** A document of the new index: unchanged ones keep their labelled passages, new and changed ones get fresh vectors. */
type Entry = KeptEntry | FreshEntry;
interface KeptEntry {
  kept: true;
  doc: Document;
  passages: IndexedPassage[];
}
interface FreshEntry {
  kept: false;
  doc: Document;
  passages: Passage[];
  /** Rows in passage order; filled by `embedEntries`. */
  vectors: Float32Array | null;
}

export async function updateIndex(opts: UpdateOptions): Promise<IndexResult> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const { embedder } = opts;
  const timings: IndexTimings = { corpusMs: 0, openMs: 0, embedMs: 0, writeMs: 0 };
  const release = await acquireWriteLock(opts.indexDir);
  try {
    let phase = performance.now();
    const lap = (): number => {
      const now = performance.now();
      const ms = Math.round(now - phase);
      phase = now;
      return ms;
    };
    const docs = opts.docsDir === undefined ? undefined : await docsFolderRecord(opts.indexDir, opts.docsDir);
    const { previous, documents: loaded, embedded: repairEmbedded = 0 } = await openPrevious(opts, log);
    timings.openMs = lap();
    const documents = loaded ?? (typeof opts.documents === 'function' ? await opts.documents(previous) : opts.documents);
    const resplit = previous !== null && previous.manifest.splitter !== opts.splitter.version;
    if (resplit) log(`the passage splitter changed (${previous.manifest.splitter ?? 'unrecorded'} -> ${opts.splitter.version}): every document is split and embedded again`);
    const plan = planChanges(documents, previous, resplit);
    const report = (passagesEmbedded: number): IndexReport => ({
      added: plan.added.length,
      changed: plan.changed.length,
      removed: plan.removed.length,
      unchanged: plan.unchanged.length,
      passagesEmbedded: passagesEmbedded + repairEmbedded,
      ms: Math.round(performance.now() - started),
      timings,
      issues: opts.issues ?? [],
    });

    const unchanged = new Set(plan.unchanged);
    const entries = documents.map((doc): Entry => {
      const kept = unchanged.has(doc) ? previous?.passagesByDoc.get(doc.id) ?? [] : null;
      if (kept) return { kept: true, doc, passages: kept };
      return { kept: false, doc, passages: opts.splitter.split(doc, { maxChars: embedder.maxChars }), vectors: null };
    });
    const fresh = entries.filter((entry): entry is FreshEntry => !entry.kept);
    const rebuildReason = previous && !resplit ? graphRebuildReason(previous, opts.hnsw, entries) : null;
    // An index written before checksums, or whose docs folder is recorded otherwise (or not at all), is written again.
    const rewrite = previous !== null && (!previous.manifest.files || (docs !== undefined && !sameRecord(previous.manifest.docs, docs)));
    if (previous && !resplit && !rebuildReason && !rewrite && fresh.length === 0 && plan.removed.length === 0) {
      await Promise.all([removeLeftovers(opts.indexDir), Checkpoints.clear(opts.indexDir)]);
      log(`index is up to date (${plan.unchanged.length} documents)`);
      return { index: previous, report: report(0) };
    }
    if (rebuildReason) log(`rebuilding the vector graph from stored vectors (nothing is re-embedded): ${rebuildReason}`);

    const checkpoints = await Checkpoints.open(opts.indexDir, { embedderId: embedder.id, dims: embedder.dims, maxChars: embedder.maxChars, splitter: opts.splitter.version });
    const passagesEmbedded = await embedEntries(fresh, embedder, checkpoints, opts, log);
    timings.embedMs = lap();

    const content =
      previous && !resplit && !rebuildReason
        ? await patch(previous, plan, entries, opts.hnsw, opts.splitter.version)
        : await build(previous, entries, embedder, opts.hnsw, opts.splitter.version);
    // The scale belongs to the embedder, which an index keeps: measured once, then carried forward.
    content.similarityScale = currentScale(previous?.manifest.similarityScale) ?? (await measureScale(embedder));
    const index = await writeGeneration(opts.indexDir, { ...content, ...(docs ? { docs } : {}) });
    await checkpoints.clear();
    timings.writeMs = lap();
    const result = report(passagesEmbedded);
    log(
      `indexed ${documents.length} documents, ${index.passagesByLabel.size} passages ` +
        `(added ${result.added}, changed ${result.changed}, removed ${result.removed}, unchanged ${result.unchanged}; ` +
        `embedded ${passagesEmbedded} passages) in ${result.ms} ms`,
    );
    return { index, report: result };
  } finally {
    await release();
  }
}

/**
 * The live generation to update, repaired first when damaged. `documents` is set when the docs
 * had to be loaded for the repair (then without reusing the damaged generation's documents),
 * `embedded` when the repair embedded passages again.
 */
async function openPrevious(
  opts: UpdateOptions,
  log: (line: string) => void,
): Promise<{ previous: LoadedIndex | null; documents?: Document[]; embedded?: number }> {
  const warn = opts.warn ?? log;
  const opened = await openIndex(opts.indexDir, opts.hnsw, { embedder: { id: opts.embedder.id, dims: opts.embedder.dims }, docsDir: opts.docsDir });
  if (opened.ok) {
    if (opened.recovered) {
      await restoreCurrent(opts.indexDir, opened.index.dir);
      warn(`${opts.indexDir}/CURRENT was missing or did not name a generation: it names ${path.basename(opened.index.dir)} again`);
    }
    return { previous: opened.index };
  }
  if (opened.reason === 'other-docs') throw new Error(opened.message);
  if (opened.reason !== 'damaged') {
    log(opened.reason === 'missing' ? `${opened.message}: building it` : `rebuilding the index from scratch: ${opened.message}`);
    return { previous: null };
  }
  const documents = typeof opts.documents === 'function' ? await opts.documents(null) : opts.documents;
  const repaired = await repairedContent(opened.damage, documents, opts.embedder, opts.hnsw).catch((error: unknown) => ({
    impossible: printable(error instanceof Error ? error.message : String(error)),
  }));
  if ('impossible' in repaired) {
    warn(`${opened.message}; it cannot be repaired (${repaired.impossible}): rebuilding the index from scratch`);
    return { previous: null, documents };
  }
  const what = opened.damage.files.map((file) => REPAIRS[file]).join('; ');
  warn(`${opened.message}; repaired from the intact files (${what})`);
  return { previous: await writeGeneration(opts.indexDir, repaired.content), documents, embedded: repaired.embedded };
}

const REPAIRS: Record<string, string> = {
  'vectors.hnsw': 'graph rebuilt from the stored vectors',
  'vectors.f32': 'vectors embedded again',
  'documents.json': 'documents read again from the docs folder',
  'lexical.bin': 'BM25 index rebuilt',
  'pages.bin': 'page index rebuilt',
};

function sameRecord(recorded: DocsFolder | undefined, now: DocsFolder): boolean {
  return recorded?.path === now.path && recorded.fromIndex === now.fromIndex;
}

/** With `resplit`, every document already indexed counts as changed, whatever its hash. */
function planChanges(documents: Document[], previous: LoadedIndex | null, resplit: boolean): Plan {
  const before = previous?.manifest.documents ?? {};
  const plan: Plan = { added: [], changed: [], unchanged: [], removed: [] };
  for (const doc of documents) {
    const entry = Object.hasOwn(before, doc.id) ? before[doc.id] : undefined;
    if (!entry) plan.added.push(doc);
    else if (resplit || entry.hash !== doc.hash) plan.changed.push(doc);
    else plan.unchanged.push(doc);
  }
  const current = new Set(documents.map((doc) => doc.id));
  plan.removed = Object.keys(before).filter((id) => !current.has(id));
  return plan;
}

/** Why the previous graph cannot simply be patched, or null when it can. */
function graphRebuildReason(previous: LoadedIndex, hnsw: HnswParams, entries: Entry[]): string | null {
  const built = previous.manifest.hnsw;
  if (built.m !== hnsw.m || built.efConstruction !== hnsw.efConstruction) {
    return `HNSW m/efConstruction changed from ${built.m}/${built.efConstruction} to ${hnsw.m}/${hnsw.efConstruction}`;
  }
  // Deleted slots still cost memory and search hops; past half the graph a clean rebuild pays off.
  const live = entries.reduce((sum, entry) => sum + entry.passages.length, 0);
  const slots = Math.max(previous.manifest.counts.labels, live);
  return slots > 2 * live && slots - live > 100 ? `${slots - live} of ${slots} graph slots belong to deleted passages` : null;
}

/** Fills `vectors` of each entry from checkpoints or the embedder; returns how many passages were embedded. */
async function embedEntries(
  entries: FreshEntry[],
  embedder: Embedder,
  checkpoints: Checkpoints,
  opts: UpdateOptions,
  log: (line: string) => void,
): Promise<number> {
  const pending: FreshEntry[] = [];
  for (const entry of entries) {
    entry.vectors = await checkpoints.read(entry.doc, entry.passages.length);
    if (!entry.vectors) pending.push(entry);
  }
  if (pending.length < entries.length) {
    log(`resuming an interrupted build: ${entries.length - pending.length} documents were already embedded`);
  }
  let documentsDone = entries.length - pending.length;
  opts.onProgress?.({ documents: documentsDone, total: entries.length });
  const total = pending.reduce((sum, entry) => sum + entry.passages.length, 0);
  if (total === 0) {
    for (const entry of pending) entry.vectors = new Float32Array(0);
    return 0;
  }
  log(`embedding ${total} passages from ${pending.length} documents with ${embedder.id}`);
  const started = performance.now();
  const progress = startProgress(total, { bar: opts.progress !== false, log });
  let done = 0;
  try {
    for (const batch of batches(pending)) {
      const texts = batch.flatMap((entry) => entry.passages.map((passage) => embeddingText(entry.doc, passage)));
      const vectors = await embedder.embedPassages(texts, (n) => progress.update(done + n));
      if (vectors.length !== texts.length) throw new Error(`${embedder.id} returned ${vectors.length} vectors for ${texts.length} passages`);
      let next = 0;
      for (const entry of batch) {
        const rows = new Float32Array(entry.passages.length * embedder.dims);
        for (let i = 0; i < entry.passages.length; i++) {
          const vector = vectors[next++]!;
          if (vector.length !== embedder.dims) throw new Error(`${embedder.id} returned a ${vector.length}-dim vector, expected ${embedder.dims}`);
          rows.set(vector, i * embedder.dims);
        }
        entry.vectors = rows;
      }
      await Promise.all(batch.map((entry) => checkpoints.write(entry.doc, entry.vectors!)));
      done += texts.length;
      documentsDone += batch.length;
      progress.update(done);
      opts.onProgress?.({ documents: documentsDone, total: entries.length });
      await pauseIfRequested('checkpoint');
    }
  } finally {
    progress.stop();
  }
  log(`embedded ${total} passages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return total;
}

/** Groups whole documents into embedding calls of about CHECKPOINT_PASSAGES passages. */
function* batches(entries: FreshEntry[]): Generator<FreshEntry[]> {
  let batch: FreshEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    batch.push(entry);
    size += entry.passages.length;
    if (size >= CHECKPOINT_PASSAGES) {
      yield batch;
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** Patches the previous generation's graph and BM25 index (they are this build's private copies; see patch-indexes.ts). */
async function patch(previous: LoadedIndex, plan: Plan, entries: Entry[], hnsw: HnswParams, splitter: string): Promise<GenerationContent> {
  const { vectorIndex, lexicalIndex, pageIndex, manifest } = previous;
  const dims = manifest.embedder.dims;
  const fresh = entries.filter((entry): entry is FreshEntry => !entry.kept).map(({ doc, passages, vectors }) => ({ doc, passages, vectors: vectors! }));
  const patched = patchIndexes(patchTargetOf(previous), [...plan.changed.map((doc) => doc.id), ...plan.removed], fresh);

  const vectors = await readVectors(previous, patched.labels);
  for (const label of patched.freed) vectors.fill(0, label * dims, (label + 1) * dims);
  for (const { fresh: entry, passage, row } of patched.added) vectors.set(entry.vectors.subarray(row * dims, (row + 1) * dims), passage.label * dims);
  const passages = entries.flatMap((entry) => (entry.kept ? entry.passages : patched.passagesByDoc.get(entry.doc.id)!));
  const pageLabels = new Map<string, number>();
  for (const entry of entries) pageLabels.set(entry.doc.id, entry.kept ? manifest.documents[entry.doc.id]!.page : patched.pages.get(entry.doc.id)!);
  return { embedder: manifest.embedder, hnsw, splitter, documents: entries.map((entry) => entry.doc), passages, vectors, vectorIndex, lexicalIndex, pageIndex, pageLabels };
}

/**
 * A generation's content from documents whose passages are already embedded (a library copied from
 * the database): graph and BM25 index are built from the vectors given, nothing is embedded.
 */
export function buildFromVectors(documents: FreshDocument[], embedder: EmbedderIdentity, hnsw: HnswParams, splitter: string): Promise<GenerationContent> {
  return build(null, documents.map(({ doc, passages, vectors }) => ({ kept: false, doc, passages, vectors })), embedder, hnsw, splitter);
}

/** Builds graph and BM25 index afresh with labels 0..n-1; unchanged documents' vectors come from the previous index. */
async function build(previous: LoadedIndex | null, entries: Entry[], embedder: EmbedderIdentity, hnsw: HnswParams, splitter: string): Promise<GenerationContent> {
  const dims = embedder.dims;
  const total = entries.reduce((sum, entry) => sum + entry.passages.length, 0);
  const stored = previous && entries.some((entry) => entry.kept) ? await readVectors(previous) : null;
  const vectors = new Float32Array(total * dims);
  const vectorIndex = HnswIndex.create(dims, hnsw, total);
  const passages: IndexedPassage[] = [];
  const lexical: LexicalEntry[] = [];
  let yielded = 0;
  for (const entry of entries) {
    // A graph insert takes about a millisecond: other work (questions, a gateway heartbeat) gets a turn between documents.
    if (passages.length - yielded >= BUILD_SLICE_PASSAGES) {
      yielded = passages.length;
      await yieldToEvents();
    }
    entry.passages.forEach((passage, row) => {
      const label = passages.length;
      const from = entry.kept ? stored : entry.vectors;
      const at = entry.kept ? entry.passages[row]!.label : row;
      const vector = from?.subarray(at * dims, (at + 1) * dims);
      if (!vector) throw new Error(`no vector for passage ${passage.ref}`);
      vectors.set(vector, label * dims);
      vectorIndex.add(label, vector);
      passages.push({ ...passage, label });
      lexical.push(lexicalEntry(entry.doc, passage, label));
    });
  }
  const lexicalIndex = LexicalIndex.create();
  lexicalIndex.add(lexical);
  const pageIndex = LexicalIndex.create();
  pageIndex.add(entries.map((entry, label) => pageEntry(entry.doc, label)));
  const pageLabels = new Map(entries.map((entry, label) => [entry.doc.id, label]));
  return { embedder: { id: embedder.id, dims }, hnsw, splitter, documents: entries.map((entry) => entry.doc), passages, vectors, vectorIndex, lexicalIndex, pageIndex, pageLabels };
}
