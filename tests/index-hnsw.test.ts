import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HnswIndex } from '../src/index/hnsw-index.js';

const params = { m: 8, efConstruction: 50, ef: 32 };

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (x) => x / norm);
}

describe('HnswIndex', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-hnsw-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds the nearest vectors by cosine similarity and grows past its initial capacity', () => {
    const index = HnswIndex.create(3, params, 2);
    index.add(0, unit([1, 0, 0]));
    index.add(1, unit([0, 1, 0]));
    index.add(2, unit([0, 0, 1]));
    index.add(3, unit([1, 1, 0]));
    expect(index.size).toBe(4);
    const hits = index.search(unit([1, 0.1, 0]), 2);
    expect(hits.map((hit) => hit.label)).toEqual([0, 3]);
    expect(hits[0]!.similarity).toBeCloseTo(0.995, 2);
    expect(index.search(unit([1, 0, 0]), 10)).toHaveLength(4);
  });

  it('leaves removed labels out of results and revives a removed label with a new vector', () => {
    const index = HnswIndex.create(3, params);
    index.add(0, unit([1, 0, 0]));
    index.add(1, unit([0, 1, 0]));
    index.remove(0);
    index.remove(0);
    expect(index.size).toBe(1);
    expect(index.search(unit([1, 0, 0]), 5).map((hit) => hit.label)).toEqual([1]);
    index.add(0, unit([0, 0, 1]));
    expect(index.size).toBe(2);
    expect(index.slots).toBe(2);
    expect(index.search(unit([0, 0, 1]), 1)[0]).toMatchObject({ label: 0 });
  });

  it('returns nothing from an empty index', () => {
    expect(HnswIndex.create(3, params).search(unit([1, 0, 0]), 3)).toEqual([]);
  });

  it('saves and loads, keeping removed labels out', async () => {
    const index = HnswIndex.create(3, params);
    index.add(0, unit([1, 0, 0]));
    index.add(1, unit([0, 1, 0]));
    index.add(2, unit([0.9, 0.1, 0]));
    index.remove(2);
    const file = path.join(dir, 'v.hnsw');
    await index.save(file);
    const loaded = await HnswIndex.load(file, 3, 16, [2]);
    expect(loaded.size).toBe(2);
    expect(loaded.search(unit([1, 0, 0]), 3).map((hit) => hit.label)).toEqual([0, 1]);
    // Stored vectors come back from the graph; removed and unknown labels have none.
    const stored = unit([0.9, 0.1, 0]);
    index.add(2, stored);
    expect(Array.from(index.vector(2)!).every((x, i) => Math.abs(x - stored[i]!) < 1e-6)).toBe(true);
    expect(Array.from(loaded.vector(1)!)).toEqual([0, 1, 0]);
    expect(loaded.vector(2)).toBeUndefined();
    expect(loaded.vector(7)).toBeUndefined();
    await expect(HnswIndex.load(file, 4, 16, [])).rejects.toThrow(/3-dim/);
  });
});
