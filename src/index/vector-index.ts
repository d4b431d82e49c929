/** Approximate nearest-neighbour search over unit vectors with integer labels. */
export interface VectorIndex {
  readonly dims: number;
  readonly size: number;
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  /** Labels nearest first, with cosine similarity (1 = same direction). */
  search(vector: Float32Array, k: number): Array<{ label: number; similarity: number }>;
  save(file: string): Promise<void>;
}
