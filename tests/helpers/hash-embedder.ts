import type { Embedder } from '../../src/embed/embedder.js';

/**
 * A real but tiny Embedder for tests: a hashed bag of words (FNV-1a into `dims` buckets with a
 * hash-chosen sign), normalised to unit length. Texts sharing words get similar vectors, which is
 * enough to check that search finds the right passage. It records every passage text it embeds,
 * so tests can assert exactly what an index build re-embedded.
 */
export class HashEmbedder implements Embedder {
  readonly id: string;
  readonly dims: number;
  readonly maxChars: number;
  /** Passage texts embedded so far, in order. */
  readonly texts: string[] = [];

  constructor(opts: { id?: string; dims?: number; maxChars?: number } = {}) {
    this.dims = opts.dims ?? 64;
    this.id = opts.id ?? `test-hash-bow-${this.dims}`;
    this.maxChars = opts.maxChars ?? 500;
  }

  /** Number of passages embedded so far. */
  get embedded(): number {
    return this.texts.length;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.vector(text);
  }

  async embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<Float32Array[]> {
    this.texts.push(...texts);
    const vectors = texts.map((text) => this.vector(text));
    onProgress?.(texts.length);
    return vectors;
  }

  async close(): Promise<void> {}

  private vector(text: string): Float32Array {
    const vector = new Float32Array(this.dims);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      let hash = 0x811c9dc5;
      for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
      const bucket = (hash >>> 0) % this.dims;
      vector[bucket] = vector[bucket]! + (hash < 0 ? -1 : 1);
    }
    let norm = Math.hypot(...vector);
    // An all-zero vector has no direction (cosine is undefined); give wordless text a fixed one.
    if (norm === 0) {
      vector[0] = 1;
      norm = 1;
    }
    return vector.map((x) => x / norm);
  }
}
