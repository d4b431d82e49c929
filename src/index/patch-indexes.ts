// Patching the graph, the BM25 index and the page index in place for documents that changed: the
// labels of their old passages and pages are freed (marked deleted; hnswlib keeps the slot), and
// the new passages and pages take the lowest free labels, so the label space grows only when the
// corpus does. The indexer patches its private copy of the previous generation this way
// (update.ts); a process serving a generation published elsewhere patches its live index
// (live-patch.ts). Synchronous: nothing can search between the first change and the last.

import type { Document, Passage } from '../types.js';
import { lexicalEntry, pageEntry } from './entries.js';
import type { LexicalEntry, LexicalIndex } from './lexical-index.js';
import type { IndexedPassage, LoadedIndex } from './store.js';
import type { VectorIndex } from './vector-index.js';

/** A new or changed document with its passages and their unit vectors (rows in passage order). */
export interface FreshDocument {
  doc: Document;
  passages: Passage[];
  vectors: Float32Array;
}

/** The three indexes as they are before the patch, and what they hold. */
export interface PatchTarget {
  vectorIndex: VectorIndex;
  lexicalIndex: LexicalIndex;
  pageIndex: LexicalIndex;
  /** Slots in the label space, free ones included. */
  labels: number;
  /** Whether a passage uses the label now. */
  isLive(label: number): boolean;
  /** A document's passage labels now (none for a new document). */
  labelsOf(docId: string): number[];
  /** Every document's page label now. */
  pages: ReadonlyMap<string, number>;
}

export interface PatchResult {
  /** Slots in the label space after the patch. */
  labels: number;
  /** Labels of the dropped documents' passages (some may be in use again by fresh passages). */
  freed: Set<number>;
  /** Each fresh passage with its label, and the row of its vector in its document's `vectors`. */
  added: Array<{ fresh: FreshDocument; passage: IndexedPassage; row: number }>;
  /** Each fresh document's passages with their labels, in order. */
  passagesByDoc: Map<string, IndexedPassage[]>;
  /** Each fresh document's page label. */
  pages: Map<string, number>;
}

/** What a loaded index holds, as the patch sees it. */
export function patchTargetOf(index: LoadedIndex): PatchTarget {
  return {
    vectorIndex: index.vectorIndex,
    lexicalIndex: index.lexicalIndex,
    pageIndex: index.pageIndex,
    labels: index.manifest.counts.labels,
    isLive: (label) => index.passagesByLabel.has(label),
    labelsOf: (id) => index.passagesByDoc.get(id)?.map((passage) => passage.label) ?? [],
    pages: new Map(Object.entries(index.manifest.documents).map(([id, entry]) => [id, entry.page])),
  };
}

/**
 * Drops the passages and pages of `dropped` (changed and removed documents) and adds `fresh`
 * (changed and new ones), in the order given.
 */
export function patchIndexes(target: PatchTarget, dropped: Iterable<string>, fresh: FreshDocument[]): PatchResult {
  const { vectorIndex, lexicalIndex, pageIndex } = target;
  const droppedIds = [...dropped];
  const freed = new Set(droppedIds.flatMap((id) => target.labelsOf(id)));
  for (const label of freed) vectorIndex.remove(label);
  lexicalIndex.discard(freed);

  const free: number[] = [];
  for (let label = 0; label < target.labels; label++) {
    if (freed.has(label) || !target.isLive(label)) free.push(label);
  }
  let nextFree = 0;
  let labels = target.labels;
  const added: PatchResult['added'] = [];
  const passagesByDoc = new Map<string, IndexedPassage[]>();
  for (const entry of fresh) {
    const passages = entry.passages.map((passage, row) => {
      const indexed: IndexedPassage = { ...passage, label: nextFree < free.length ? free[nextFree++]! : labels++ };
      added.push({ fresh: entry, passage: indexed, row });
      return indexed;
    });
    passagesByDoc.set(entry.doc.id, passages);
  }
  const dims = vectorIndex.dims;
  for (const { fresh: entry, passage, row } of added) vectorIndex.add(passage.label, entry.vectors.subarray(row * dims, (row + 1) * dims));
  lexicalIndex.add(added.map(({ fresh: entry, passage }) => lexicalEntry(entry.doc, passage, passage.label)));

  // Pages keep their label while unchanged; a changed or new document takes the lowest free one.
  const droppedSet = new Set(droppedIds);
  pageIndex.discard(droppedIds.flatMap((id) => target.pages.get(id) ?? []));
  const usedPages = new Set([...target.pages].filter(([id]) => !droppedSet.has(id)).map(([, page]) => page));
  const pages = new Map<string, number>();
  const freshPages: LexicalEntry[] = [];
  let nextPage = 0;
  for (const entry of fresh) {
    while (usedPages.has(nextPage)) nextPage++;
    usedPages.add(nextPage);
    pages.set(entry.doc.id, nextPage);
    freshPages.push(pageEntry(entry.doc, nextPage));
  }
  pageIndex.add(freshPages);
  return { labels, freed, added, passagesByDoc, pages };
}
