// The on-disk index. `indexDir` holds generation folders and a CURRENT file naming the live one:
//
//   CURRENT                      one line: the live generation's folder name
//   gen-<timestamp>-<pid>/
//     manifest.json              format version, embedder, HNSW parameters, document hashes, counts
//     vectors.hnsw               the HNSW graph (hnswlib's own format)
//     vectors.f32                raw unit vectors, row = label (little-endian float32; zero rows for free labels);
//                                not kept in memory: search reads single rows, updates the whole file
//     passages.json              passage positions; their text is sliced from the documents on load
//     documents.json             the documents, text included (every quote is a substring of it)
//     lexical.bin                the BM25 index over passages (see lexical-index.ts for its layout)
//     pages.bin                  a BM25 index over whole documents (labels in the manifest)
//   write.lock                   present while a build runs (see lock.ts)
//   .partial/                    embedding checkpoints of an interrupted build (see checkpoints.ts)
//
// A generation is never modified once CURRENT names it. A new one is written to `tmp-…`, fsynced,
// renamed to `gen-…`, and only then does CURRENT switch (temp file + rename), so a crash at any
// point leaves CURRENT naming a complete generation. Leftovers are removed by the next write.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { SimilarityScale } from '../embed/similarity-scale.js';
import type { Document, Passage } from '../types.js';
import { HnswIndex, type HnswParams } from './hnsw-index.js';
import { LexicalIndex } from './lexical-index.js';
import { pauseIfRequested } from './test-pause.js';
import { readVectorFile, VectorRows } from './vector-file.js';

/** Bump when the layout or the meaning of any file changes (tokenisation included): older indexes are then rebuilt. */
export const FORMAT_VERSION = 3;

const CURRENT = 'CURRENT';
const FILES = {
  manifest: 'manifest.json',
  graph: 'vectors.hnsw',
  vectors: 'vectors.f32',
  passages: 'passages.json',
  documents: 'documents.json',
  lexical: 'lexical.bin',
  pages: 'pages.bin',
} as const;
const GENERATION_NAME = /^gen-\d+-\d+$/;
const LEFTOVER_NAME = /^(gen-|tmp-)\d+-\d+$|^CURRENT\.tmp-\d+$/;

export interface EmbedderIdentity {
  id: string;
  dims: number;
}

export interface Manifest {
  formatVersion: number;
  embedder: EmbedderIdentity;
  /** Parameters the graph was built with (`ef` is the search setting in force at the time). */
  hnsw: HnswParams;
  createdAt: string;
  /** `page` is the document's label in the page index. */
  documents: Record<string, { hash: string; path: string; passages: number; page: number }>;
  /** `labels` is the number of rows in vectors.f32 and slots in the graph, tombstones included. */
  counts: { documents: number; passages: number; labels: number };
  /** Version of the splitter that cut the passages (absent in indexes written before it was recorded). */
  splitter?: string;
  /** The embedder's similarity scale, measured at build (absent in indexes written before it was recorded). */
  similarityScale?: SimilarityScale;
}

/** A passage as stored in passages.json: positions only. */
export interface StoredPassage {
  label: number;
  docId: string;
  ordinal: number;
  start: number;
  end: number;
  paragraph: number;
  headingPath: string[];
  anchor?: string;
}

export interface IndexedPassage extends Passage {
  /** The passage's label in the vector and lexical indexes. */
  label: number;
}

export interface LoadedIndex {
  /** The generation folder the index was read from or written to. */
  dir: string;
  manifest: Manifest;
  documents: Map<string, Document>;
  passagesByLabel: Map<number, IndexedPassage>;
  passagesByRef: Map<string, IndexedPassage>;
  /** Each document's passages in order (for neighbours and digests). */
  passagesByDoc: Map<string, IndexedPassage[]>;
  vectorIndex: HnswIndex;
  lexicalIndex: LexicalIndex;
  /** BM25 over whole documents: evidence spread over a page that no single passage carries. */
  pageIndex: LexicalIndex;
  /** Document id by page-index label. */
  documentByPage: Map<number, string>;
  /**
   * A passage's stored unit vector, or undefined for a label without a passage. Read from
   * vectors.f32 on demand, or from the graph's copy once a newer generation has removed the file:
   * keeping a copy in memory beside the graph's would double the largest part of the index.
   */
  vector(label: number): Float32Array | undefined;
}

export type OpenFailureReason = 'missing' | 'unreadable' | 'format-version' | 'embedder-mismatch';

export type OpenResult =
  | { ok: true; index: LoadedIndex }
  | { ok: false; reason: OpenFailureReason; message: string };

/**
 * Opens the live generation. Never throws for a bad index: the reason comes back so the caller
 * can rebuild with a clear message. With `expect.embedder`, an index built by another embedder
 * (id or dims) is refused.
 */
export async function openIndex(
  indexDir: string,
  hnsw: Pick<HnswParams, 'ef'>,
  expect: { embedder?: EmbedderIdentity } = {},
): Promise<OpenResult> {
  for (let attempt = 0; ; attempt++) {
    let name: string | null;
    try {
      name = await currentGeneration(indexDir);
    } catch (error) {
      return unreadable(indexDir, CURRENT, error);
    }
    if (name === null) return { ok: false, reason: 'missing', message: `no index in ${indexDir} yet` };
    if (!GENERATION_NAME.test(name)) {
      return { ok: false, reason: 'unreadable', message: `${path.join(indexDir, CURRENT)} names "${name}", not a generation folder` };
    }
    const result = await openGeneration(path.join(indexDir, name), hnsw.ef, expect.embedder);
    // A writer may have swapped in a new generation and deleted this one while we read it.
    if (!result.ok && attempt === 0 && (await currentGeneration(indexDir).catch(() => name)) !== name) continue;
    return result;
  }
}

/** The folder name of the live generation, or null when there is no index yet. */
export async function currentGeneration(indexDir: string): Promise<string | null> {
  try {
    return (await fs.readFile(path.join(indexDir, CURRENT), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function openGeneration(dir: string, ef: number, embedder?: EmbedderIdentity): Promise<OpenResult> {
  let manifest: Manifest;
  try {
    const raw = JSON.parse(await fs.readFile(path.join(dir, FILES.manifest), 'utf8')) as Partial<Manifest> | null;
    if (raw?.formatVersion !== FORMAT_VERSION) {
      return {
        ok: false,
        reason: 'format-version',
        message: `the index in ${dir} has format version ${String(raw?.formatVersion)}; this version of archivist reads ${FORMAT_VERSION}`,
      };
    }
    manifest = checkManifest(raw);
  } catch (error) {
    return unreadable(dir, FILES.manifest, error);
  }
  if (embedder && (manifest.embedder.id !== embedder.id || manifest.embedder.dims !== embedder.dims)) {
    return {
      ok: false,
      reason: 'embedder-mismatch',
      message: `the index was built with embedder ${manifest.embedder.id} (${manifest.embedder.dims} dims); the configured one is ${embedder.id} (${embedder.dims} dims)`,
    };
  }
  const at = (file: string) => path.join(dir, file);
  try {
    const [documents, passages, lexicalBytes, pageBytes] = await Promise.all([
      inFile(FILES.documents, async () => JSON.parse(await fs.readFile(at(FILES.documents), 'utf8')) as Document[]),
      inFile(FILES.passages, async () => JSON.parse(await fs.readFile(at(FILES.passages), 'utf8')) as StoredPassage[]),
      inFile(FILES.lexical, () => fs.readFile(at(FILES.lexical))),
      inFile(FILES.pages, () => fs.readFile(at(FILES.pages))),
      inFile(FILES.vectors, () => checkVectorFile(at(FILES.vectors), manifest)),
    ]);
    const removed = await inFile(FILES.passages, async () => freeLabels(passages, manifest.counts.labels));
    // hnswlib reads the graph on a worker thread; the BM25 arrays are checked on this one meanwhile.
    const [vectorIndex, lexicalIndex, pageIndex] = await Promise.all([
      inFile(FILES.graph, () => loadGraph(at(FILES.graph), manifest, ef, removed)),
      inFile(FILES.lexical, async () => LexicalIndex.deserialize(lexicalBytes)),
      inFile(FILES.pages, async () => LexicalIndex.deserialize(pageBytes)),
    ]);
    const index = await inFile(FILES.passages, async () =>
      assembleIndex({ dir, manifest, documents, passages, vectorIndex, lexicalIndex, pageIndex }),
    );
    return { ok: true, index };
  } catch (error) {
    // Every step above runs in `inFile`, so the error names its file.
    const { file, cause } = error as FileError;
    return unreadable(dir, file, cause);
  }
}

/** Labels below `labels` that no passage uses: deleted slots in the graph. */
function freeLabels(passages: StoredPassage[], labels: number): number[] {
  const live = new Set(passages.map((passage) => passage.label));
  const free: number[] = [];
  for (let label = 0; label < labels; label++) if (!live.has(label)) free.push(label);
  return free;
}

/** Tags a failure with the file it came from, for the "unreadable" message. */
class FileError extends Error {
  constructor(readonly file: string, override readonly cause: unknown) {
    super(`${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

async function inFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new FileError(file, error);
  }
}

/** vectors.f32 is not read at open, but a damaged one is found now rather than by the next update. */
async function checkVectorFile(file: string, manifest: Manifest): Promise<void> {
  const { size } = await fs.stat(file);
  const expected = manifest.counts.labels * manifest.embedder.dims * 4;
  if (size !== expected) {
    throw new Error(`holds ${size} bytes, expected ${manifest.counts.labels} labels × ${manifest.embedder.dims} dims × 4`);
  }
}

/** A generation's stored vectors (row = label), in `labels` rows: more than stored leaves room for new labels. */
export function readVectors(index: Pick<LoadedIndex, 'dir' | 'manifest'>, labels = index.manifest.counts.labels): Promise<Float32Array> {
  return readVectorFile(path.join(index.dir, FILES.vectors), index.manifest.embedder.dims, index.manifest.counts.labels, labels);
}

async function loadGraph(file: string, manifest: Manifest, ef: number, removed: number[]): Promise<HnswIndex> {
  const graph = await HnswIndex.load(file, manifest.embedder.dims, ef, removed);
  if (graph.slots !== manifest.counts.labels) {
    throw new Error(`has ${graph.slots} slots, the manifest says ${manifest.counts.labels}`);
  }
  return graph;
}

function unreadable(dir: string, file: string, error: unknown): OpenResult {
  const detail = error instanceof Error ? error.message : String(error);
  return { ok: false, reason: 'unreadable', message: `${path.join(dir, file)} is unreadable: ${detail}` };
}

function checkManifest(raw: Partial<Manifest>): Manifest {
  const { embedder, hnsw, documents, counts } = raw;
  const valid =
    typeof embedder?.id === 'string' &&
    Number.isInteger(embedder.dims) &&
    Number.isInteger(hnsw?.m) &&
    Number.isInteger(hnsw?.efConstruction) &&
    typeof documents === 'object' && documents !== null &&
    Number.isInteger(counts?.documents) &&
    Number.isInteger(counts?.passages) &&
    Number.isInteger(counts?.labels);
  if (!valid) throw new Error('missing or malformed fields');
  return raw as Manifest;
}

/** Builds the in-memory index from its parts, checking that they agree; throws on any inconsistency. */
function assembleIndex(parts: {
  dir: string;
  manifest: Manifest;
  documents: Document[];
  passages: StoredPassage[];
  vectorIndex: HnswIndex;
  lexicalIndex: LexicalIndex;
  pageIndex: LexicalIndex;
}): LoadedIndex {
  const { manifest } = parts;
  if (parts.documents.length !== manifest.counts.documents || parts.passages.length !== manifest.counts.passages) {
    throw new Error(`holds ${parts.documents.length} documents and ${parts.passages.length} passages, the manifest says ${manifest.counts.documents} and ${manifest.counts.passages}`);
  }
  if (parts.lexicalIndex.size !== parts.passages.length) {
    throw new Error(`the BM25 index holds ${parts.lexicalIndex.size} passages, the passage table ${parts.passages.length}`);
  }
  if (parts.pageIndex.size !== parts.documents.length) {
    throw new Error(`the page index holds ${parts.pageIndex.size} documents, the document table ${parts.documents.length}`);
  }
  const documents = new Map(parts.documents.map((doc) => [doc.id, doc]));
  const documentByPage = new Map<number, string>();
  for (const doc of parts.documents) {
    const page = manifest.documents[doc.id]?.page;
    if (!Number.isInteger(page) || documentByPage.has(page!)) throw new Error(`document ${doc.id} has a bad page label`);
    documentByPage.set(page!, doc.id);
  }
  const passagesByLabel = new Map<number, IndexedPassage>();
  const passagesByRef = new Map<string, IndexedPassage>();
  const passagesByDoc = new Map<string, IndexedPassage[]>();
  const shared = new Shared();
  for (const doc of parts.documents) {
    for (const block of doc.blocks) {
      block.headingPath = shared.headingPath(block.headingPath);
      if (block.anchor !== undefined) block.anchor = shared.text(block.anchor);
    }
  }
  for (const stored of parts.passages) {
    const doc = documents.get(stored.docId);
    const { label, start, end } = stored;
    if (!doc || !(Number.isInteger(label) && label >= 0 && label < manifest.counts.labels) || passagesByLabel.has(label)) {
      throw new Error(`passage ${stored.docId}:${stored.ordinal} has a bad label or document`);
    }
    if (!(start >= 0 && start <= end && end <= doc.text.length)) {
      throw new Error(`passage ${stored.docId}:${stored.ordinal} lies outside its document`);
    }
    // Every field by name: a spread of the parsed object gives objects of about 600 bytes, this about 250.
    const passage: IndexedPassage = {
      label,
      docId: doc.id,
      ordinal: stored.ordinal,
      start,
      end,
      paragraph: stored.paragraph,
      headingPath: shared.headingPath(stored.headingPath),
      ref: `${doc.id}:${stored.ordinal}`,
      text: doc.text.slice(start, end),
    };
    if (stored.anchor !== undefined) passage.anchor = shared.text(stored.anchor);
    passagesByLabel.set(label, passage);
    passagesByRef.set(passage.ref, passage);
    const siblings = passagesByDoc.get(doc.id);
    if (siblings) siblings.push(passage);
    else passagesByDoc.set(doc.id, [passage]);
  }
  for (const siblings of passagesByDoc.values()) siblings.sort((a, b) => a.ordinal - b.ordinal);
  // Only small locals in the closure below: capturing `parts` would keep the parsed JSON alive.
  const { vectorIndex } = parts;
  const rows = new VectorRows(path.join(parts.dir, FILES.vectors), manifest.embedder.dims);
  return {
    dir: parts.dir,
    manifest,
    documents,
    passagesByLabel,
    passagesByRef,
    passagesByDoc,
    vectorIndex,
    lexicalIndex: parts.lexicalIndex,
    pageIndex: parts.pageIndex,
    documentByPage,
    vector: (label) => (passagesByLabel.has(label) ? rows.row(label) ?? vectorIndex.vector(label) : undefined),
  };
}

/**
 * One copy of each heading path and anchor: JSON gives every block and passage its own, which at
 * 100k passages is tens of megabytes.
 */
class Shared {
  private readonly paths = new Map<string, string[]>();
  private readonly texts = new Map<string, string>();

  headingPath(headingPath: string[]): string[] {
    const key = headingPath.join('\u0000');
    const found = this.paths.get(key);
    if (found) return found;
    this.paths.set(key, headingPath);
    return headingPath;
  }

  text(value: string): string {
    const found = this.texts.get(value);
    if (found !== undefined) return found;
    this.texts.set(value, value);
    return value;
  }
}

/** Everything a new generation holds; the manifest is derived from it. */
export interface GenerationContent {
  embedder: EmbedderIdentity;
  hnsw: HnswParams;
  splitter: string;
  documents: Document[];
  /** Extra fields (text, ref) are not written: text is sliced from the documents on load. */
  passages: StoredPassage[];
  /** Row = label; its length fixes the number of labels. */
  vectors: Float32Array;
  vectorIndex: HnswIndex;
  lexicalIndex: LexicalIndex;
  pageIndex: LexicalIndex;
  /** Each document's label in the page index. */
  pageLabels: Map<string, number>;
  similarityScale?: SimilarityScale;
}

let lastStamp = 0;

/**
 * Writes a new generation and makes it live (see the top of this file for the sequence).
 * The caller must hold the write lock. Returns the new index, ready to serve.
 */
export async function writeGeneration(indexDir: string, content: GenerationContent): Promise<LoadedIndex> {
  await fs.mkdir(indexDir, { recursive: true });
  await removeLeftovers(indexDir);

  // Unique even for two writes in the same millisecond, so a new generation never collides with the live one.
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  const id = `${lastStamp}-${process.pid}`;
  const temp = path.join(indexDir, `tmp-${id}`);
  const name = `gen-${id}`;
  const manifest = manifestFor(content);

  await fs.mkdir(temp);
  const [lexicalBytes, pageBytes] = await Promise.all([content.lexicalIndex.serialize(), content.pageIndex.serialize()]);
  const vectorBytes = new Uint8Array(content.vectors.buffer, content.vectors.byteOffset, content.vectors.byteLength);
  await Promise.all([
    writeDurably(path.join(temp, FILES.vectors), vectorBytes),
    writeDurably(path.join(temp, FILES.passages), JSON.stringify(content.passages.map(storedPassage))),
    writeDurably(path.join(temp, FILES.documents), JSON.stringify(content.documents)),
    writeDurably(path.join(temp, FILES.lexical), lexicalBytes),
    writeDurably(path.join(temp, FILES.pages), pageBytes),
    content.vectorIndex.save(path.join(temp, FILES.graph)).then(() => syncPath(path.join(temp, FILES.graph))),
  ]);
  // The manifest goes last: a generation folder with a manifest is complete.
  await writeDurably(path.join(temp, FILES.manifest), JSON.stringify(manifest, null, 1));
  await syncDirectory(temp);
  await pauseIfRequested('files-written');

  await fs.rename(temp, path.join(indexDir, name));
  await syncDirectory(indexDir);
  await pauseIfRequested('generation-renamed');

  const pointer = path.join(indexDir, `${CURRENT}.tmp-${process.pid}`);
  await writeDurably(pointer, `${name}\n`);
  await fs.rename(pointer, path.join(indexDir, CURRENT));
  await syncDirectory(indexDir);
  await pauseIfRequested('current-swapped');

  await removeLeftovers(indexDir);
  return assembleIndex({
    dir: path.join(indexDir, name),
    manifest,
    documents: content.documents,
    passages: content.passages,
    vectorIndex: content.vectorIndex,
    lexicalIndex: content.lexicalIndex,
    pageIndex: content.pageIndex,
  });
}

function manifestFor(content: GenerationContent): Manifest {
  const documents: Manifest['documents'] = {};
  for (const doc of content.documents) {
    const page = content.pageLabels.get(doc.id);
    if (page === undefined) throw new Error(`document ${doc.id} has no page label`);
    documents[doc.id] = { hash: doc.hash, path: doc.path, passages: 0, page };
  }
  for (const passage of content.passages) {
    const entry = documents[passage.docId];
    if (!entry) throw new Error(`passage ${passage.docId}:${passage.ordinal} belongs to no document`);
    entry.passages++;
  }
  const { dims } = content.embedder;
  if (content.vectors.length % dims !== 0) throw new Error(`vectors are not a whole number of ${dims}-dim rows`);
  return {
    formatVersion: FORMAT_VERSION,
    embedder: { id: content.embedder.id, dims },
    hnsw: { m: content.hnsw.m, efConstruction: content.hnsw.efConstruction, ef: content.hnsw.ef },
    createdAt: new Date().toISOString(),
    documents,
    counts: { documents: content.documents.length, passages: content.passages.length, labels: content.vectors.length / dims },
    splitter: content.splitter,
    ...(content.similarityScale ? { similarityScale: content.similarityScale } : {}),
  };
}

function storedPassage(passage: StoredPassage): StoredPassage {
  const { label, docId, ordinal, start, end, paragraph, headingPath, anchor } = passage;
  return { label, docId, ordinal, start, end, paragraph, headingPath, ...(anchor === undefined ? {} : { anchor }) };
}

/**
 * Removes what interrupted or finished writes left behind: temp folders, generations CURRENT does
 * not name, pointer temp files. The caller must hold the write lock (another writer's temp folder
 * would look like a leftover).
 */
export async function removeLeftovers(indexDir: string): Promise<void> {
  const keep = await currentGeneration(indexDir);
  const entries = await fs.readdir(indexDir);
  await Promise.all(
    entries
      .filter((entry) => entry !== keep && LEFTOVER_NAME.test(entry))
      .map((entry) => fs.rm(path.join(indexDir, entry), { recursive: true, force: true })),
  );
}

async function writeDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncPath(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes renames inside `dir` durable. Windows cannot open a directory for fsync; NTFS journals renames itself. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform !== 'win32') await syncPath(dir);
}
