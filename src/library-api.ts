import type { Answer, Citation, Document } from './types.js';

/** A passage looked up by its ref, with its neighbours and its document's metadata. */
export interface SourceView {
  ref: string;
  passage: string;
  /** The passages just before and after, when they exist. */
  previous: { ref: string; text: string } | null;
  next: { ref: string; text: string } | null;
  citation: Citation;
  document: DocumentSummary;
}

export interface DocumentSummary {
  id: string;
  title: string;
  source: string | null;
  date: string | null;
  url: string | null;
  path: string;
  passages: number;
  /** Ref of the document's first passage. */
  firstRef: string;
}

export interface LibraryStatus {
  documents: number;
  passages: number;
  embedder: string;
  dims: number;
  /** When the index in use was written. */
  indexedAt: Date;
}

export interface ReindexReport {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  passagesEmbedded: number;
  ms: number;
}

/** A document as the index in use holds it, with its passages' refs and offsets in order. */
export interface IndexedDocument {
  document: Document;
  passages: Array<{ ref: string; start: number; end: number }>;
}

/** What the CLI, the console, the Discord bot and the digest use: one loaded index and its embedder. */
export interface LibraryApi {
  ask(question: string, options?: { k?: number }): Promise<Answer>;
  source(ref: string): SourceView | null;
  documents(): DocumentSummary[];
  /** Refs and document ids starting with or containing `prefix`, for autocomplete. */
  suggestRefs(prefix: string, limit: number): Array<{ ref: string; label: string }>;
  status(): LibraryStatus;
  /** A document of the index in use, or null when it holds none by that id. */
  indexedDocument(id: string): IndexedDocument | null;
  /** The id and content hash of every document of the index in use. */
  indexedDocuments(): Array<{ id: string; hash: string }>;
  /** Unit vectors for short texts, embedded as passages are (the digest compares sentences with them). */
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  /** Re-indexes incrementally; answers keep coming from the old index until the swap. */
  reindex(): Promise<ReindexReport>;
  close(): Promise<void>;
}
