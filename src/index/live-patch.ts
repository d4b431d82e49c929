// Brings a served index to another generation in memory, given only the documents that differ: a
// one-page edit published by another process costs that page's passages here, not a reload of the
// whole generation (seconds for the Python docs). The index object is changed in place and in one
// synchronous step; see Library.ask for how a question in flight meanwhile is answered again.

import { patchIndexes, patchTargetOf, type FreshDocument } from './patch-indexes.js';
import type { LoadedIndex, Manifest } from './store.js';

export interface GenerationChange {
  /** Ids of documents the new generation no longer holds. */
  removed: string[];
  /** New and changed documents, with passages and vectors. */
  fresh: FreshDocument[];
  /** The new generation's createdAt. */
  createdAt: string;
  /** The splitter that cut the new generation's passages (see SPLITTER_VERSION). */
  splitter?: string;
}

/** Applies `change` to `index` in place; returns the number of passages added. */
export function applyChange(index: LoadedIndex, change: GenerationChange): number {
  const { manifest } = index;
  const dropped = [...change.removed, ...change.fresh.map(({ doc }) => doc.id).filter((id) => index.documents.has(id))];
  const patched = patchIndexes(patchTargetOf(index), dropped, change.fresh);

  const documents: Manifest['documents'] = { ...manifest.documents };
  for (const id of dropped) {
    for (const passage of index.passagesByDoc.get(id) ?? []) {
      index.passagesByLabel.delete(passage.label);
      index.passagesByRef.delete(passage.ref);
    }
    index.passagesByDoc.delete(id);
    index.documents.delete(id);
    const page = documents[id]?.page;
    if (page !== undefined) index.documentByPage.delete(page);
    delete documents[id];
  }
  for (const { passage } of patched.added) {
    index.passagesByLabel.set(passage.label, passage);
    index.passagesByRef.set(passage.ref, passage);
  }
  for (const { doc } of change.fresh) {
    const page = patched.pages.get(doc.id)!;
    const passages = patched.passagesByDoc.get(doc.id)!;
    index.documents.set(doc.id, doc);
    index.passagesByDoc.set(doc.id, passages);
    index.documentByPage.set(page, doc.id);
    documents[doc.id] = { hash: doc.hash, path: doc.path, passages: passages.length, page };
  }
  // The generation folder's sums describe its files, which this index no longer matches.
  const { files: _files, ...rest } = manifest;
  index.manifest = {
    ...rest,
    createdAt: change.createdAt,
    ...(change.splitter !== undefined ? { splitter: change.splitter } : {}),
    documents,
    counts: { documents: index.documents.size, passages: index.passagesByLabel.size, labels: patched.labels },
  };
  // vectors.f32 of the folder holds other vectors under reused labels: the graph's copy is the one.
  const { passagesByLabel, vectorIndex } = index;
  index.vector = (label) => (passagesByLabel.has(label) ? vectorIndex.vector(label) : undefined);
  return patched.added.length;
}
