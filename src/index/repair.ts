// Repairing a damaged generation (a file that fails its checksum, see store.ts) from what is intact:
// the same documents, passages and labels come out, so answers are those of the undamaged index.
//
//   vectors.hnsw    rebuilt from vectors.f32 (nothing is embedded)
//   vectors.f32     the live passages are embedded again (the graph is kept if intact)
//   lexical.bin     rebuilt from the passages
//   pages.bin       rebuilt from the documents
//   documents.json  read again from the docs folder: each document whose content hash matches
//
// A damaged manifest or passages.json cannot be repaired (the labels are lost with them), nor
// documents.json when the docs folder no longer holds every document as it was: the caller then
// rebuilds from scratch.

import type { Embedder } from '../embed/embedder.js';
import type { Document } from '../types.js';
import { embeddingText } from './embedding-text.js';
import { lexicalEntry, pageEntry } from './entries.js';
import { HnswIndex, type HnswParams } from './hnsw-index.js';
import { LexicalIndex } from './lexical-index.js';
import { readGeneration, readVectors, type Damage, type GenerationContent, type Manifest, type StoredPassage } from './store.js';

/** Passages per embedding call when vectors are embedded again. */
const EMBED_BATCH = 128;

/**
 * The content of the damaged generation `damage.dir`, rebuilt from its intact files and from
 * `documents` (the docs folder as it is now), ready to be written as a new generation; or a
 * sentence saying why it cannot be. `embedded` counts the passages embedded again.
 */
export async function repairedContent(
  damage: Damage,
  documents: Document[],
  embedder: Embedder,
  hnsw: HnswParams,
): Promise<{ content: GenerationContent; embedded: number } | { impossible: string }> {
  if (!damage.manifest) return { impossible: 'the manifest is damaged' };
  const read = await readGeneration(damage.dir);
  if (!read.ok) return { impossible: read.result.ok ? 'it changed while being repaired' : read.result.message };
  const { manifest, bytes } = read;
  const damaged = new Set(read.damaged);
  if (damaged.has('passages.json')) return { impossible: 'passages.json is damaged' };
  const text = (file: 'documents.json' | 'passages.json') => new TextDecoder().decode(bytes.get(file)!);

  const docs = damaged.has('documents.json') ? documentsAsIndexed(manifest, documents) : (JSON.parse(text('documents.json')) as Document[]);
  if (!docs) return { impossible: 'documents.json is damaged and the docs folder no longer holds every document as indexed' };
  const byId = new Map(docs.map((doc) => [doc.id, doc]));
  const passages = JSON.parse(text('passages.json')) as StoredPassage[];
  const live = passages.map((stored) => {
    const doc = byId.get(stored.docId);
    if (!doc) throw new Error(`passage ${stored.docId}:${stored.ordinal} belongs to no document`);
    return { doc, stored, passage: { ...stored, ref: `${doc.id}:${stored.ordinal}`, text: doc.text.slice(stored.start, stored.end) } };
  });

  const { dims } = manifest.embedder;
  const { labels } = manifest.counts;
  let vectors: Float32Array;
  let embedded = 0;
  if (damaged.has('vectors.f32')) {
    embedded = live.length;
    vectors = new Float32Array(labels * dims);
    for (let from = 0; from < live.length; from += EMBED_BATCH) {
      const batch = live.slice(from, from + EMBED_BATCH);
      const rows = await embedder.embedPassages(batch.map(({ doc, passage }) => embeddingText(doc, passage)));
      batch.forEach(({ stored }, i) => vectors.set(rows[i]!, stored.label * dims));
    }
  } else {
    vectors = await readVectors({ dir: damage.dir, manifest });
  }

  const params = { m: manifest.hnsw.m, efConstruction: manifest.hnsw.efConstruction, ef: hnsw.ef };
  const liveLabels = new Set(passages.map((stored) => stored.label));
  let vectorIndex: HnswIndex;
  if (damaged.has('vectors.hnsw')) {
    // Labels in order, as a fresh build adds them; free labels keep their slot as a tombstone.
    vectorIndex = HnswIndex.create(dims, params, labels);
    for (let label = 0; label < labels; label++) {
      vectorIndex.add(label, vectors.subarray(label * dims, (label + 1) * dims));
      if (!liveLabels.has(label)) vectorIndex.remove(label);
    }
  } else {
    const free = [...Array(labels).keys()].filter((label) => !liveLabels.has(label));
    vectorIndex = await HnswIndex.load(`${damage.dir}/vectors.hnsw`, dims, hnsw.ef, free);
  }

  let lexicalIndex: LexicalIndex;
  if (damaged.has('lexical.bin')) {
    lexicalIndex = LexicalIndex.create();
    // In label order, as a fresh build adds them.
    const byLabel = [...live].sort((a, b) => a.stored.label - b.stored.label);
    lexicalIndex.add(byLabel.map(({ doc, passage, stored }) => lexicalEntry(doc, passage, stored.label)));
  } else {
    lexicalIndex = LexicalIndex.deserialize(bytes.get('lexical.bin')!);
  }

  const pageLabels = new Map(docs.map((doc) => [doc.id, manifest.documents[doc.id]!.page]));
  let pageIndex: LexicalIndex;
  if (damaged.has('pages.bin')) {
    pageIndex = LexicalIndex.create();
    pageIndex.add([...pageLabels].sort((a, b) => a[1] - b[1]).map(([id, page]) => pageEntry(byId.get(id)!, page)));
  } else {
    pageIndex = LexicalIndex.deserialize(bytes.get('pages.bin')!);
  }

  return {
    embedded,
    content: {
      embedder: manifest.embedder,
      hnsw: params,
      splitter: manifest.splitter ?? '',
      documents: docs,
      passages: live.map(({ stored }) => stored),
      vectors,
      vectorIndex,
      lexicalIndex,
      pageIndex,
      pageLabels,
      ...(manifest.docs ? { docs: manifest.docs } : {}),
    },
  };
}

/** The indexed documents, taken from the docs folder as it is now; null when one is missing or changed. */
function documentsAsIndexed(manifest: Manifest, documents: Document[]): Document[] | null {
  const now = new Map(documents.map((doc) => [doc.id, doc]));
  const out: Document[] = [];
  for (const [id, entry] of Object.entries(manifest.documents)) {
    const doc = now.get(id);
    if (!doc || doc.hash !== entry.hash) return null;
    out.push(doc);
  }
  return out;
}
