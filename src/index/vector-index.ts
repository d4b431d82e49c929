/**
 * Approximate nearest-neighbour search over unit vectors with integer labels: what a loaded index
 * searches and patches. HnswIndex (hnswlib, in memory) is the implementation; one searching in the
 * database (pgvector) would be another.
 */
export interface VectorIndex {
  readonly dims: number;
  /** Live vectors (removed labels excluded). */
  readonly size: number;
  /** Adds a vector under `label`, or replaces the one of a removed label in place. */
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  /** The vector stored under a live label (the index's own copy), or undefined. */
  vector(label: number): Float32Array | undefined;
  /** Labels nearest first, with cosine similarity (1 = same direction). */
  search(vector: Float32Array, k: number): Array<{ label: number; similarity: number }>;
  /** The search breadth (HNSW's ef): fixed, or with `adaptive` a floor raised with k. */
  setEf(ef: number, adaptive?: boolean): void;
  save(file: string): Promise<void>;
}
