// The answer rule's thresholds follow the embedder's similarity scale. BERT-style models (MiniLM)
// score unrelated texts far higher than USE-lite does, as if every vector carried a large shared
// component. Here that component is added for real: a wrapper gives every vector of the bundled
// encoder one more dimension holding c, and renormalises, so every cosine s becomes
// (s + c²) / (1 + c²). The seeds are indexed with both embedders, and each dev question must be
// answered or declined alike, which the thresholds the index measured do and today's constants do not.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledEmbedder } from '../src/embed/bundled.js';
import type { Embedder } from '../src/embed/embedder.js';
import { buildIndex } from '../src/index/indexer.js';
import type { LoadedIndex } from '../src/index/store.js';
import { searchable } from '../src/library.js';
import { relevanceFor } from '../src/search/calibrate.js';
import { decide, DEFAULT_RELEVANCE, rank, type Relevance } from '../src/search/search.js';
import { SEEDS_DIR } from './helpers/seed-library.js';

/** The shared component's size: unrelated pairs at 0.1 with USE-lite score 0.55 with it. */
const SHARED = 1;

class SharedComponentEmbedder implements Embedder {
  readonly id: string;
  readonly dims: number;
  readonly maxChars: number;

  constructor(private readonly inner: Embedder, private readonly c: number) {
    this.id = `${inner.id}+shared-${c}`;
    this.dims = inner.dims + 1;
    this.maxChars = inner.maxChars;
  }

  private shift(vector: Float32Array): Float32Array {
    const out = new Float32Array(this.dims);
    out.set(vector);
    out[vector.length] = this.c;
    const norm = Math.hypot(...out);
    return out.map((x) => x / norm);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.shift(await this.inner.embedQuery(text));
  }

  async embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<Float32Array[]> {
    return (await this.inner.embedPassages(texts, onProgress)).map((vector) => this.shift(vector));
  }

  async close(): Promise<void> {}
}

const QUESTION_SETS = ['seeds-dev.jsonl', 'seeds-paraphrase-dev.jsonl'];
const questions = QUESTION_SETS.flatMap((file) =>
  readFileSync(path.join(import.meta.dirname, 'fixtures', 'eval', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { q: string }).q),
);

describe('thresholds on the embedder’s similarity scale', () => {
  let bundled: Embedder;
  const dirs: string[] = [];
  const built: Record<'plain' | 'shared', { index: LoadedIndex; embedder: Embedder }> = {} as never;

  beforeAll(async () => {
    bundled = await loadBundledEmbedder();
    for (const [name, embedder] of [['plain', bundled], ['shared', new SharedComponentEmbedder(bundled, SHARED)]] as const) {
      const indexDir = mkdtempSync(path.join(tmpdir(), 'archivist-scale-'));
      dirs.push(indexDir);
      const { index } = await buildIndex({ docsDir: SEEDS_DIR, indexDir, embedder, hnsw: { m: 16, efConstruction: 200, ef: 128 }, progress: false });
      built[name] = { index, embedder };
    }
  });
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await bundled?.close();
  });

  async function decisions(name: 'plain' | 'shared', relevance: (index: LoadedIndex) => Relevance): Promise<boolean[]> {
    const { index, embedder } = built[name];
    const view = searchable(index);
    const out: boolean[] = [];
    for (const question of questions) out.push(decide(await rank(view, embedder, question, { k: 3 }), relevance(index)));
    return out;
  }

  const measured = (index: LoadedIndex) => relevanceFor(index.manifest.similarityScale, DEFAULT_RELEVANCE);

  it('records the scale in the manifest, and gives the bundled encoder the thresholds calibrated for it', () => {
    const { similarityScale } = built.plain.index.manifest;
    expect(similarityScale!.related).toBeGreaterThan(similarityScale!.unrelated);
    expect(measured(built.plain.index)).toEqual(DEFAULT_RELEVANCE);
    // The shared component raises both medians toward 1.
    expect(built.shared.index.manifest.similarityScale!.unrelated).toBeGreaterThan(0.5);
  });

  it('answers and declines every dev question alike with a shared component, on the measured thresholds', async () => {
    const plain = await decisions('plain', measured);
    expect(plain.filter((answered) => !answered).length).toBeGreaterThan(0);
    expect(await decisions('shared', measured)).toEqual(plain);
  });

  it('would not with the constant thresholds: the shared component answers what USE-lite declines', async () => {
    const plain = await decisions('plain', () => DEFAULT_RELEVANCE);
    expect(await decisions('shared', () => DEFAULT_RELEVANCE)).not.toEqual(plain);
  });
});
