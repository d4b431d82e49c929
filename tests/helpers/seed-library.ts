// The seed corpus indexed for real (loader, splitter, HNSW, BM25, search) with a given embedder,
// shaped as the DigestLibrary that librarySources() reads, without going through openLibrary.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DigestLibrary } from '../../src/digest/sources.js';
import type { Embedder } from '../../src/embed/embedder.js';
import type { LoadedIndex } from '../../src/index/store.js';
import { buildIndex } from '../../src/index/indexer.js';
import { searchable } from '../../src/library.js';
import { search } from '../../src/search/search.js';

export const SEEDS_DIR = path.resolve(import.meta.dirname, '..', '..', 'seeds');

export async function seedLibrary(embedder: Embedder, docsDir = SEEDS_DIR): Promise<DigestLibrary & { loaded: LoadedIndex; cleanup(): void }> {
  const indexDir = mkdtempSync(path.join(tmpdir(), 'archivist-digest-index-'));
  const { index } = await buildIndex({ docsDir, indexDir, embedder, hnsw: { m: 16, efConstruction: 200, ef: 128 } });
  const view = searchable(index);
  return {
    loaded: index,
    indexedDocument: (id) => {
      const document = index.documents.get(id);
      return document ? { document, passages: (index.passagesByDoc.get(id) ?? []).map(({ ref, start, end }) => ({ ref, start, end })) } : null;
    },
    indexedDocuments: () => [...index.documents.values()].map(({ id, hash }) => ({ id, hash })),
    embedTexts: (texts) => embedder.embedPassages(texts),
    ask: (question, options) => search(view, embedder, question, { k: options?.k ?? 3 }),
    status: () => ({ ...index.manifest.counts, embedder: embedder.id, dims: embedder.dims, indexedAt: new Date(index.manifest.createdAt) }),
    cleanup: () => rmSync(indexDir, { recursive: true, force: true }),
  };
}
