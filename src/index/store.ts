// The on-disk index. `indexDir` holds generation folders and a CURRENT file naming the live one:
//
//   CURRENT                      one line: the live generation's folder name
//   gen-<timestamp>-<pid>/
//     manifest.json              format version, embedder, HNSW parameters, document hashes, counts,
//                                each file's size and CRC-32, the docs folder, and its own CRC-32
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
// With DATABASE_URL the same content also lives in PostgreSQL as rows (pg-generations.ts); a
// generation folder is then a process's local copy, opened at start for speed.
//
// A generation is never modified once CURRENT names it. A new one is written to `tmp-…`, fsynced,
// renamed to `gen-…`, and only then does CURRENT switch (temp file + rename), so a crash at any
// point leaves CURRENT naming a complete generation. Leftovers are removed by the next write.
//
// Damage (a bad disk, a stray write) is found at open, before any file is parsed or handed to
// hnswlib, by the sizes and checksums in the manifest; the writer repairs it (see repair.ts).
// A missing or bad CURRENT is recovered from the newest generation folder that verifies.

import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { SimilarityScale } from '../embed/similarity-scale.js';
import type { Document, Passage } from '../types.js';
import { HnswIndex, type HnswParams } from './hnsw-index.js';
import { LexicalIndex } from './lexical-index.js';
import { pauseIfRequested } from './test-pause.js';
import { otherDocsMessage, sameDocsFolder } from './docs-folder.js';
import { readVectorFile, VectorRows } from './vector-file.js';
import type { VectorIndex } from './vector-index.js';

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
/** The files a generation holds besides its manifest, each with a checksum in the manifest. */
export type DataFile = Exclude<(typeof FILES)[keyof typeof FILES], 'manifest.json'>;
const DATA_FILES: DataFile[] = [FILES.graph, FILES.vectors, FILES.passages, FILES.documents, FILES.lexical, FILES.pages];
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
  /** The docs folder the index was built from (absent when built from documents passed in, or before it was recorded). */
  docs?: DocsFolder;
  /**
   * Each data file's size and CRC-32, checked before the file is read (absent in indexes written
   * before checksums: they are read unchecked, and the next write adds them).
   */
  files?: Record<DataFile, FileSum>;
  /** The embedder's similarity scale, measured at build (absent in indexes written before it was recorded). */
  similarityScale?: SimilarityScale;
}

export interface FileSum {
  bytes: number;
  crc32: number;
}

/** A docs folder as recorded in the manifest; see docs-folder.ts for how it is compared. */
export interface DocsFolder {
  /** Real path (symlinks resolved) when the index was written. */
  path: string;
  /** The same folder relative to the index folder's real path: still right after both move together. */
  fromIndex: string;
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
  vectorIndex: VectorIndex;
  lexicalIndex: LexicalIndex;
  /** BM25 over whole documents: evidence spread over a page that no single passage carries. */
  pageIndex: LexicalIndex;
  /** Document id by page-index label. */
  documentByPage: Map<number, string>;
  /**
   * A passage's stored unit vector, or undefined for a label without a passage. Read from
   * vectors.f32 on demand, or from the graph's copy once a newer generation has removed the file or
   * the index was patched in memory (live-patch.ts): keeping a copy in memory beside the graph's
   * would double the largest part of the index.
   */
  vector(label: number): Float32Array | undefined;
}

export type OpenFailureReason = 'missing' | 'unreadable' | 'format-version' | 'embedder-mismatch' | 'damaged' | 'other-docs';

export type OpenResult =
  | { ok: true; index: LoadedIndex; /** Set when CURRENT did not name this generation (missing or bad): a writer should restore it. */ recovered?: boolean }
  | { ok: false; reason: Exclude<OpenFailureReason, 'damaged'>; message: string }
  | { ok: false; reason: 'damaged'; message: string; damage: Damage };

/** What failed its checksum (or its size) in a generation. */
export interface Damage {
  dir: string;
  /** Null when the manifest itself is damaged: then nothing else can be trusted. */
  manifest: Manifest | null;
  files: DataFile[];
}

/**
 * Opens the live generation. Never throws for a bad index: the reason comes back so the caller
 * can repair or rebuild with a clear message. With `expect.embedder`, an index built by another
 * embedder (id or dims) is refused; with `expect.docsDir`, one built from another docs folder.
 */
export async function openIndex(
  indexDir: string,
  hnsw: Pick<HnswParams, 'ef'>,
  expect: { embedder?: EmbedderIdentity; docsDir?: string } = {},
): Promise<OpenResult> {
  for (let attempt = 0; ; attempt++) {
    let name: string | null;
    try {
      name = await currentGeneration(indexDir);
    } catch (error) {
      return unreadable(indexDir, CURRENT, error);
    }
    if (name === null || !GENERATION_NAME.test(name) || !(await exists(path.join(indexDir, name)))) {
      const recovered = await openNewestIntact(indexDir, hnsw.ef, expect);
      if (recovered) return recovered;
      if (name === null) return { ok: false, reason: 'missing', message: `no index in ${indexDir} yet` };
      return { ok: false, reason: 'unreadable', message: `${path.join(indexDir, CURRENT)} names "${printable(name)}", not a generation folder` };
    }
    const result = await openGeneration(path.join(indexDir, name), hnsw.ef, expect);
    // A writer may have swapped in a new generation and deleted this one while we read it.
    if (!result.ok && attempt === 0 && (await currentGeneration(indexDir).catch(() => name)) !== name) continue;
    return result;
  }
}

/**
 * When CURRENT is missing or names no generation (deleted by hand, damaged), the newest generation
 * folder that opens cleanly is the live one: writes are ordered so that a complete generation
 * exists before CURRENT names it.
 */
async function openNewestIntact(
  indexDir: string,
  ef: number,
  expect: { embedder?: EmbedderIdentity; docsDir?: string },
): Promise<OpenResult | null> {
  const entries = await fs.readdir(indexDir).catch(() => [] as string[]);
  const stamp = (name: string) => Number(name.split('-')[1]);
  const candidates = entries.filter((entry) => GENERATION_NAME.test(entry)).sort((a, b) => stamp(b) - stamp(a));
  for (const name of candidates) {
    const result = await openGeneration(path.join(indexDir, name), ef, expect);
    if (result.ok) return { ...result, recovered: true };
    // Intact but not for this embedder or docs folder: that is the answer, not a reason to look further back.
    if (result.reason === 'embedder-mismatch' || result.reason === 'other-docs') return result;
  }
  return null;
}

/** Points CURRENT at `dir` again (after `openIndex` recovered it); the caller must hold the write lock. */
export async function restoreCurrent(indexDir: string, dir: string): Promise<void> {
  await pointCurrentAt(indexDir, path.basename(dir));
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

async function openGeneration(
  dir: string,
  ef: number,
  expect: { embedder?: EmbedderIdentity; docsDir?: string },
): Promise<OpenResult> {
  const read = await readGeneration(dir);
  if (!read.ok) return read.result;
  const { manifest, bytes } = read;
  if (expect.embedder && (manifest.embedder.id !== expect.embedder.id || manifest.embedder.dims !== expect.embedder.dims)) {
    return {
      ok: false,
      reason: 'embedder-mismatch',
      message: `the index was built with embedder ${manifest.embedder.id} (${manifest.embedder.dims} dims); the configured one is ${expect.embedder.id} (${expect.embedder.dims} dims)`,
    };
  }
  if (expect.docsDir && manifest.docs && !(await sameDocsFolder(manifest.docs, path.dirname(dir), expect.docsDir))) {
    return { ok: false, reason: 'other-docs', message: otherDocsMessage(path.dirname(dir), manifest.docs.path, expect.docsDir) };
  }
  if (read.damaged.length > 0) {
    const names = read.damaged.join(', ');
    return { ok: false, reason: 'damaged', message: `${dir} is damaged: ${names} ${read.damaged.length === 1 ? 'fails its' : 'fail their'} checksum`, damage: { dir, manifest, files: read.damaged } };
  }
  const at = (file: string) => path.join(dir, file);
  const text = (file: DataFile) => new TextDecoder().decode(bytes.get(file)!);
  try {
    const [documents, passages] = await Promise.all([
      inFile(FILES.documents, async () => JSON.parse(text(FILES.documents)) as Document[]),
      inFile(FILES.passages, async () => JSON.parse(text(FILES.passages)) as StoredPassage[]),
      inFile(FILES.vectors, () => checkVectorFile(at(FILES.vectors), manifest)),
    ]);
    const removed = await inFile(FILES.passages, async () => freeLabels(passages, manifest.counts.labels));
    // hnswlib reads the graph on a worker thread; the BM25 arrays are checked on this one meanwhile.
    const [vectorIndex, lexicalIndex, pageIndex] = await Promise.all([
      inFile(FILES.graph, () => loadGraph(at(FILES.graph), manifest, ef, removed)),
      inFile(FILES.lexical, async () => LexicalIndex.deserialize(bytes.get(FILES.lexical)!)),
      inFile(FILES.pages, async () => LexicalIndex.deserialize(bytes.get(FILES.pages)!)),
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

/** A generation's manifest and the bytes of its data files that passed their checks (graph and vectors are only checked, not kept). */
type ReadGeneration =
  | { ok: true; manifest: Manifest; bytes: Map<DataFile, Uint8Array>; damaged: DataFile[] }
  | { ok: false; result: OpenResult };

/**
 * Reads the manifest and checks every data file against it, so that nothing damaged is parsed or
 * given to hnswlib (whose reader trusts the file: 4,000 overwritten bytes crash the process).
 * The files are checked one after another: hashing runs at several GB/s, reading is the cost.
 */
export async function readGeneration(dir: string): Promise<ReadGeneration> {
  let manifest: Manifest;
  try {
    const raw = JSON.parse(await fs.readFile(path.join(dir, FILES.manifest), 'utf8')) as (Partial<Manifest> & { checksum?: unknown }) | null;
    // The seal first: damage to the version number is damage, not another version.
    if (!manifestIntact(raw)) {
      return { ok: false, result: { ok: false, reason: 'damaged', message: `${path.join(dir, FILES.manifest)} is damaged: it fails its checksum`, damage: { dir, manifest: null, files: [] } } };
    }
    if (raw?.formatVersion !== FORMAT_VERSION) {
      const message = `the index in ${dir} has format version ${printable(String(raw?.formatVersion))}; this version of archivist reads ${FORMAT_VERSION}`;
      return { ok: false, result: { ok: false, reason: 'format-version', message } };
    }
    manifest = checkManifest(raw);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, result: unreadable(dir, FILES.manifest, error) };
    // Valid JSON is all that tells a damaged manifest from an old one without a checksum.
    return { ok: false, result: { ok: false, reason: 'damaged', message: `${path.join(dir, FILES.manifest)} is damaged: ${describe(error)}`, damage: { dir, manifest: null, files: [] } } };
  }
  const bytes = new Map<DataFile, Uint8Array>();
  const damaged: DataFile[] = [];
  for (const file of DATA_FILES) {
    const expected = manifest.files?.[file];
    const keep = file !== FILES.graph && file !== FILES.vectors;
    if (!expected) {
      // An index written before checksums: read as it is.
      if (keep) bytes.set(file, await fs.readFile(path.join(dir, file)).catch(() => new Uint8Array(0)));
      continue;
    }
    const data = await readChecked(path.join(dir, file), expected, keep);
    if (data === null) damaged.push(file);
    else if (keep) bytes.set(file, data);
  }
  return { ok: true, manifest, bytes, damaged };
}

/** What a generation holds besides its indexes: the rows a database copy of it needs (see pg-generations.ts). */
export interface GenerationRecords {
  manifest: Manifest;
  documents: Document[];
  passages: StoredPassage[];
  /** A passage's stored vector by label, read from vectors.f32. */
  vector(label: number): Float32Array | undefined;
}

/**
 * Reads a generation's manifest, documents and passages, checked against the manifest's sums; the
 * graph and the BM25 files are not read. Throws when anything is missing, damaged or of another format.
 */
export async function readGenerationRecords(dir: string): Promise<GenerationRecords> {
  const raw = JSON.parse(await fs.readFile(path.join(dir, FILES.manifest), 'utf8')) as Partial<Manifest> & { checksum?: unknown };
  if (!manifestIntact(raw)) throw new Error(`${path.join(dir, FILES.manifest)} fails its checksum`);
  if (raw.formatVersion !== FORMAT_VERSION) throw new Error(`${dir} has format version ${printable(String(raw.formatVersion))}, not ${FORMAT_VERSION}`);
  const { checksum: _seal, ...manifest } = raw;
  const checked = checkManifest(manifest);
  const read = async (file: DataFile): Promise<unknown> => {
    const expected = checked.files?.[file];
    const bytes = expected ? await readChecked(path.join(dir, file), expected, true) : await fs.readFile(path.join(dir, file));
    if (!bytes) throw new Error(`${path.join(dir, file)} fails its checksum`);
    return JSON.parse(new TextDecoder().decode(bytes));
  };
  const [documents, passages] = await Promise.all([read(FILES.documents) as Promise<Document[]>, read(FILES.passages) as Promise<StoredPassage[]>]);
  await checkVectorFile(path.join(dir, FILES.vectors), checked);
  const rows = new VectorRows(path.join(dir, FILES.vectors), checked.embedder.dims);
  return { manifest: checked, documents, passages, vector: (label) => rows.row(label) };
}

const CHUNK = 16 << 20;

/**
 * Null when the file is missing, not `expected.bytes` long (then it is not read at all) or fails
 * its CRC; else its bytes when `keep`, or an empty array (the graph and the vectors are hashed in
 * chunks: no second copy of the largest files in memory).
 */
async function readChecked(file: string, expected: FileSum, keep: boolean): Promise<Uint8Array | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    if ((await handle.stat()).size !== expected.bytes) return null;
    // Unzeroed: every byte is read into before it is used.
    const data = Buffer.allocUnsafe(keep ? expected.bytes : Math.min(CHUNK, expected.bytes));
    let crc = 0;
    for (let offset = 0; offset < expected.bytes; ) {
      const at = keep ? offset : 0;
      const { bytesRead } = await handle.read(data, at, Math.min(data.length - at, expected.bytes - offset), offset);
      if (bytesRead === 0) return null;
      crc = crc32(data.subarray(at, at + bytesRead), crc);
      offset += bytesRead;
    }
    return crc === expected.crc32 ? (keep ? data : new Uint8Array(0)) : null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/** The size and CRC-32 of bytes about to be written. */
function sumOf(data: Uint8Array): FileSum {
  return { bytes: data.byteLength, crc32: crc32(data) };
}

/**
 * Text safe to print whole: control characters (C0, DEL, C1) and lone surrogates become escapes,
 * and it is cut at 200 characters. A message about a damaged file can quote its bytes (a JSON
 * parser's "Unexpected token"), and raw NULs or a CSI in a log line garble the terminal.
 */
export function printable(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}

/**
 * A manifest with a checksum must match it: the checksum covers the manifest's JSON without the
 * checksum, as written (later format versions must keep this seal, or their manifests read as
 * damaged rather than as another version). Manifests written before checksums have neither `checksum` nor `files`; a
 * manifest with one and not the other is damaged. (The two sit at opposite ends of the file, so one
 * damaged stretch cannot remove both and still leave valid JSON.)
 */
function manifestIntact(raw: (Partial<Manifest> & { checksum?: unknown }) | null): boolean {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const { checksum, ...body } = raw;
  if (checksum === undefined) return body.files === undefined;
  return crc32(manifestText(body)) === checksum;
}

function manifestText(body: object): string {
  return JSON.stringify(body, null, 1);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
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
  return { ok: false, reason: 'unreadable', message: `${path.join(dir, file)} is unreadable: ${describe(error)}` };
}

/** An error's message, made printable: a parser's message can quote the damaged bytes. */
function describe(error: unknown): string {
  return printable(error instanceof Error ? error.message : String(error));
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
  vectorIndex: VectorIndex;
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
  vectorIndex: VectorIndex;
  lexicalIndex: LexicalIndex;
  pageIndex: LexicalIndex;
  /** Each document's label in the page index. */
  pageLabels: Map<string, number>;
  /** The docs folder the documents came from, when they came from one. */
  docs?: DocsFolder;
  similarityScale?: SimilarityScale;
  /** When the content was indexed (default: now). A copy of a published generation keeps the original's time. */
  createdAt?: string;
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
  const data: Array<[DataFile, Uint8Array]> = [
    [FILES.vectors, new Uint8Array(content.vectors.buffer, content.vectors.byteOffset, content.vectors.byteLength)],
    [FILES.passages, Buffer.from(JSON.stringify(content.passages.map(storedPassage)))],
    [FILES.documents, Buffer.from(JSON.stringify(content.documents))],
    [FILES.lexical, lexicalBytes],
    [FILES.pages, pageBytes],
  ];
  const graphFile = path.join(temp, FILES.graph);
  await Promise.all([
    ...data.map(([file, bytes]) => writeDurably(path.join(temp, file), bytes)),
    content.vectorIndex.save(graphFile).then(() => syncPath(graphFile)),
  ]);
  // hnswlib writes the graph itself: its checksum is taken from the file it wrote.
  const files = Object.fromEntries(data.map(([file, bytes]) => [file, sumOf(bytes)])) as Record<DataFile, FileSum>;
  files[FILES.graph] = sumOf(await fs.readFile(graphFile));
  // The manifest goes last: a generation folder with a manifest is complete.
  await writeDurably(path.join(temp, FILES.manifest), sealedManifest({ ...manifest, files }));
  await syncDirectory(temp);
  await pauseIfRequested('files-written');

  await fs.rename(temp, path.join(indexDir, name));
  await syncDirectory(indexDir);
  await pauseIfRequested('generation-renamed');

  await pointCurrentAt(indexDir, name);
  await pauseIfRequested('current-swapped');

  await removeLeftovers(indexDir);
  return assembleIndex({
    dir: path.join(indexDir, name),
    manifest: { ...manifest, files },
    documents: content.documents,
    passages: content.passages,
    vectorIndex: content.vectorIndex,
    lexicalIndex: content.lexicalIndex,
    pageIndex: content.pageIndex,
  });
}

/** The manifest's JSON with its own checksum first (see `manifestIntact`); `files` comes last. */
function sealedManifest(manifest: Manifest): string {
  return manifestText({ checksum: crc32(manifestText(manifest)), ...manifest });
}

/** Makes `name` the live generation: CURRENT is replaced by a rename, never half written. */
async function pointCurrentAt(indexDir: string, name: string): Promise<void> {
  const pointer = path.join(indexDir, `${CURRENT}.tmp-${process.pid}`);
  await writeDurably(pointer, `${name}\n`);
  await fs.rename(pointer, path.join(indexDir, CURRENT));
  await syncDirectory(indexDir);
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
    createdAt: content.createdAt ?? new Date().toISOString(),
    documents,
    counts: { documents: content.documents.length, passages: content.passages.length, labels: content.vectors.length / dims },
    splitter: content.splitter,
    ...(content.docs ? { docs: content.docs } : {}),
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
 * would look like a leftover). Without a valid CURRENT no generation is removed: one of them is
 * the live index, to be recovered by `openIndex`.
 */
export async function removeLeftovers(indexDir: string): Promise<void> {
  const keep = await currentGeneration(indexDir).catch(() => null);
  const entries = await fs.readdir(indexDir);
  const live = keep !== null && GENERATION_NAME.test(keep) && entries.includes(keep);
  const spare = (entry: string) => entry === keep || (!live && GENERATION_NAME.test(entry));
  await Promise.all(
    entries
      .filter((entry) => !spare(entry) && LEFTOVER_NAME.test(entry))
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

/** fsync of a file or folder: what a rename or a write inside it needs to be durable. */
export async function syncPath(file: string): Promise<void> {
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
