// Section 1: vector search. Our HnswIndex layer against an exact Float32Array scan (the recall
// reference), raw hnswlib-node (to see what our layer adds), usearch and vectra, on seeded random and
// clustered unit vectors. Each engine is built here, saved, then loaded in a fresh process to
// measure load time and resident memory on their own.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import hnswlib from 'hnswlib-node';
import { HnswIndex, type HnswParams } from '../src/index/hnsw-index.js';
import { gaussian, interleavedLatency, latency, log, median, normalize, residentBytes, round, runChild, seededRandom, type Latency } from './measure.js';

const K = 10;
/** Graph parameters as configured by default (src/config.ts). */
export const HNSW: HnswParams = { m: 16, efConstruction: 200, ef: 64 };
const EF_SWEEP = [16, 32, 64, 128, 256];

export type Kind = 'random' | 'clustered';

export interface Dataset {
  kind: Kind;
  n: number;
  dims: number;
  /** n rows, row-major. */
  data: Float32Array;
  queries: Float32Array[];
  /** Exact top-K labels of each query. */
  truth: number[][];
}

export interface EngineResult {
  engine: string;
  kind: Kind;
  n: number;
  dims: number;
  buildMs: number;
  query: Latency;
  recall: number;
  residentMB: number;
  diskMB: number;
  loadMs: number;
  note?: string;
}

export interface EfPoint {
  kind: Kind;
  n: number;
  dims: number;
  ef: number;
  query: Latency;
  recall: number;
}

export interface VectorSearchResults {
  results: EngineResult[];
  efSweep: EfPoint[];
  skipped: string[];
}

/**
 * Seeded unit vectors. "clustered": n/100 random centres, each point a centre plus Gaussian noise of
 * 0.7x its length, so a query has many near-equal neighbours (harder for a graph than uniform noise).
 * Queries come from the same distribution but are not in the index.
 */
export function makeDataset(kind: Kind, n: number, dims: number, queryCount: number, seed = 1): Omit<Dataset, 'truth'> {
  const next = gaussian(seededRandom(seed * 7919 + n + dims + (kind === 'clustered' ? 1 : 0)));
  const centres = kind === 'clustered' ? Array.from({ length: Math.max(10, Math.round(n / 100)) }, () => normalize(Float32Array.from({ length: dims }, next))) : [];
  const point = (): Float32Array => {
    const v = Float32Array.from({ length: dims }, next);
    if (kind === 'random') return normalize(v);
    const centre = centres[Math.floor(((next() + 10) * 1e6) % centres.length)]!;
    normalize(v);
    for (let i = 0; i < dims; i++) v[i] = centre[i]! + 0.7 * v[i]!;
    return normalize(v);
  };
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) data.set(point(), i * dims);
  return { kind, n, dims, data, queries: Array.from({ length: queryCount }, point) };
}

/** Exact top-k by dot product (= cosine for unit vectors), best first. */
export function exactSearch(data: Float32Array, dims: number, query: Float32Array, k: number): number[] {
  const n = data.length / dims;
  const bestLabels = new Int32Array(k).fill(-1);
  const bestScores = new Float64Array(k).fill(-Infinity);
  for (let row = 0, offset = 0; row < n; row++, offset += dims) {
    // Four accumulators: independent additions pipeline better than one running sum.
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    let i = 0;
    for (; i + 3 < dims; i += 4) {
      d0 += data[offset + i]! * query[i]!;
      d1 += data[offset + i + 1]! * query[i + 1]!;
      d2 += data[offset + i + 2]! * query[i + 2]!;
      d3 += data[offset + i + 3]! * query[i + 3]!;
    }
    for (; i < dims; i++) d0 += data[offset + i]! * query[i]!;
    const dot = d0 + d1 + d2 + d3;
    if (dot <= bestScores[k - 1]!) continue;
    let at = k - 1;
    while (at > 0 && bestScores[at - 1]! < dot) {
      bestScores[at] = bestScores[at - 1]!;
      bestLabels[at] = bestLabels[at - 1]!;
      at--;
    }
    bestScores[at] = dot;
    bestLabels[at] = row;
  }
  return Array.from(bestLabels).filter((label) => label >= 0);
}

function recallOf(found: number[][], truth: number[][]): number {
  let hits = 0;
  found.forEach((labels, q) => {
    const expected = new Set(truth[q]!.slice(0, K));
    hits += labels.slice(0, K).filter((label) => expected.has(label)).length;
  });
  return hits / (truth.length * K);
}

async function sizeOf(paths: string[]): Promise<number> {
  let total = 0;
  for (const file of paths) {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) total += await sizeOf((await fs.readdir(file)).map((name) => path.join(file, name)));
    else total += stat.size;
  }
  return total;
}

/** One engine under test: built in this process, loaded again by `loadInChild`. */
interface Engine {
  name: string;
  build(set: Dataset): Promise<void> | void;
  search(query: Float32Array): number[];
  /** Writes the index under `dir`; returns what it wrote. */
  save(dir: string): Promise<string[]>;
  note?: string;
}

function exactEngine(): Engine {
  let set: Dataset;
  return {
    name: 'exact scan (Float32Array)',
    build(s) {
      set = s;
    },
    search: (query) => exactSearch(set.data, set.dims, query, K),
    async save(dir) {
      const file = path.join(dir, 'vectors.f32');
      await fs.writeFile(file, new Uint8Array(set.data.buffer, set.data.byteOffset, set.data.byteLength));
      return [file];
    },
  };
}

function oursEngine(params: HnswParams): Engine & { index(): HnswIndex } {
  let index: HnswIndex;
  return {
    name: 'archivist HnswIndex',
    index: () => index,
    build(set) {
      index = HnswIndex.create(set.dims, params, set.n);
      for (let label = 0; label < set.n; label++) index.add(label, set.data.subarray(label * set.dims, (label + 1) * set.dims));
    },
    search: (query) => index.search(query, K).map((hit) => hit.label),
    async save(dir) {
      const file = path.join(dir, 'vectors.hnsw');
      await index.save(file);
      return [file];
    },
  };
}

async function usearchEngine(params: HnswParams): Promise<Engine | string> {
  let usearch: typeof import('usearch');
  try {
    usearch = await import('usearch');
  } catch (error) {
    return `usearch: not installed (${(error as Error).message.split('\n')[0]})`;
  }
  let index: InstanceType<typeof usearch.Index>;
  return {
    name: 'usearch',
    note: `connectivity ${params.m}, expansion_add ${params.efConstruction}, expansion_search ${params.ef}; built on ${os.availableParallelism()} threads, searched on 1`,
    build(set) {
      index = new usearch.Index({
        dimensions: set.dims,
        metric: usearch.MetricKind.Cos,
        quantization: usearch.ScalarKind.F32,
        connectivity: params.m,
        expansion_add: params.efConstruction,
        expansion_search: params.ef,
        multi: false,
      });
      const keys = new BigUint64Array(set.n);
      for (let i = 0; i < set.n; i++) keys[i] = BigInt(i);
      index.add(keys, set.data, 0);
    },
    search(query: Float32Array) {
      const { keys } = index.search(query, K, 1);
      return Array.from(keys, Number);
    },
    async save(dir) {
      const file = path.join(dir, 'index.usearch');
      index.save(file);
      return [file];
    },
  };
}

async function vectraEngine(dir: string): Promise<Engine | string> {
  let vectra: typeof import('vectra');
  try {
    vectra = await import('vectra');
  } catch (error) {
    return `vectra: not installed (${(error as Error).message.split('\n')[0]})`;
  }
  let index: InstanceType<typeof vectra.LocalIndex>;
  const folder = path.join(dir, 'vectra');
  return {
    name: 'vectra',
    note: 'LocalIndex: brute-force cosine over number[] items, whole index in one JSON file',
    async build(set) {
      index = new vectra.LocalIndex(folder);
      await index.createIndex({ version: 1, deleteIfExists: true });
      const items = Array.from({ length: set.n }, (_, i) => ({ id: String(i), vector: Array.from(set.data.subarray(i * set.dims, (i + 1) * set.dims)), metadata: {} }));
      await index.batchInsertItems(items);
    },
    search() {
      throw new Error('vectra searches asynchronously: use searchAsync');
    },
    async save() {
      return [folder];
    },
  };
}

async function vectraSearch(folder: string, query: Float32Array): Promise<number[]> {
  const { LocalIndex } = await import('vectra');
  const index = vectraCache.get(folder) ?? new LocalIndex(folder);
  vectraCache.set(folder, index);
  const results = await index.queryItems(Array.from(query), '', K);
  return results.map((result) => Number(result.item.id));
}
const vectraCache = new Map<string, InstanceType<typeof import('vectra').LocalIndex>>();

interface LoadReport {
  loadMs: number;
  residentBytes: number;
}

/** Loads a saved index in a fresh process: load time, and resident memory it added. */
async function loadInChild(engine: string, dir: string, set: Dataset, runs: number): Promise<LoadReport> {
  const reports: LoadReport[] = [];
  for (let run = 0; run < runs; run++) reports.push(await runChild<LoadReport>(fileURLToPath(import.meta.url), ['--load', engine, dir, String(set.dims), String(set.n)]));
  return { loadMs: median(reports.map((r) => r.loadMs)), residentBytes: median(reports.map((r) => r.residentBytes)) };
}

async function childLoad(engine: string, dir: string, dims: number): Promise<void> {
  const usearch = engine === 'usearch' ? await import('usearch') : null;
  const vectra = engine === 'vectra' ? await import('vectra') : null;
  const before = residentBytes();
  const started = performance.now();
  let keep: unknown;
  const probe = normalize(Float32Array.from({ length: dims }, (_, i) => Math.sin(i)));
  if (engine === 'ours') {
    keep = await HnswIndex.load(path.join(dir, 'vectors.hnsw'), dims, HNSW.ef, []);
    (keep as HnswIndex).search(probe, K);
  } else if (engine === 'exact') {
    const bytes = await fs.readFile(path.join(dir, 'vectors.f32'));
    keep = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    exactSearch(keep as Float32Array, dims, probe, K);
  } else if (usearch) {
    const index = new usearch.Index({ dimensions: dims, metric: usearch.MetricKind.Cos, quantization: usearch.ScalarKind.F32, connectivity: HNSW.m, expansion_add: HNSW.efConstruction, expansion_search: HNSW.ef, multi: false });
    index.load(path.join(dir, 'index.usearch'));
    index.search(probe, K, 1);
    keep = index;
  } else if (vectra) {
    const index = new vectra.LocalIndex(path.join(dir, 'vectra'));
    await index.queryItems(Array.from(probe), '', K);
    keep = index;
  }
  const loadMs = performance.now() - started;
  const after = residentBytes();
  process.stdout.write(`${JSON.stringify({ loadMs, residentBytes: after - before, kept: keep !== undefined })}\n`);
}

export interface VectorSearchOptions {
  sets: Array<{ n: number; dims: number; kind: Kind }>;
  runs: number;
  /** Queries per dataset (recall and latency). */
  queries: number;
  /** Fresh processes that load each saved index (load time and memory are their medians). */
  loadRuns: number;
  /** Largest n at which vectra is run (its single JSON file does not scale). */
  vectraMax: number;
  workDir: string;
}

export async function benchVectorSearch(opts: VectorSearchOptions): Promise<VectorSearchResults> {
  const out: VectorSearchResults = { results: [], efSweep: [], skipped: [] };
  for (const { n, dims, kind } of opts.sets) {
    const queryCount = n >= 50_000 ? Math.min(opts.queries, 300) : opts.queries;
    log(`vector search: ${kind} ${n} x ${dims}: generating data and exact answers for ${queryCount} queries`);
    const base = makeDataset(kind, n, dims, queryCount);
    const set: Dataset = { ...base, truth: base.queries.map((q) => exactSearch(base.data, dims, q, K)) };
    const dir = await fs.mkdtemp(path.join(opts.workDir, `vec-${kind}-${n}-${dims}-`));
    const engines: Array<Engine & { child: string }> = [{ ...exactEngine(), child: 'exact' }];
    const ours = oursEngine(HNSW);
    engines.push({ ...ours, child: 'ours' });
    const u = await usearchEngine(HNSW);
    if (typeof u === 'string') out.skipped.push(u);
    else engines.push({ ...u, child: 'usearch' });
    if (n <= opts.vectraMax) {
      const v = await vectraEngine(dir);
      if (typeof v === 'string') out.skipped.push(v);
      else engines.push({ ...v, child: 'vectra' });
    }

    // Build and save each engine, then time all searches interleaved (see interleavedLatency).
    const built: Array<{ engine: (typeof engines)[number]; buildMs: number; files: string[]; search: (q: Float32Array) => unknown }> = [];
    for (const engine of engines) {
      const engineDir = await fs.mkdtemp(path.join(dir, `${engine.child}-`));
      log(`  ${engine.name}: build`);
      const started = performance.now();
      await engine.build(set);
      const buildMs = performance.now() - started;
      const files = await engine.save(engineDir);
      const search = engine.child === 'vectra' ? (q: Float32Array) => vectraSearch(files[0]!, q) : (q: Float32Array) => engine.search(q);
      built.push({ engine, buildMs, files, search });
    }
    const raw = rawHnswlib(built.find((b) => b.engine.child === 'ours')!.files[0]!, set);
    log(`  queries (${opts.runs} runs, engines interleaved)`);
    const arrays = new Map(set.queries.map((q) => [q, Array.from(q)]));
    // Slow scans are timed on fewer queries; recall always uses every query.
    const slowLimit = (child: string) => (child === 'vectra' || (child === 'exact' && n >= 50_000) ? 100 : undefined);
    const timings: Record<string, Latency> = await interleavedLatency<Float32Array, string>(set.queries, opts.runs, {
      ...Object.fromEntries(built.map((b) => [b.engine.child, { run: b.search, limit: slowLimit(b.engine.child) }])),
      raw: { run: (q: Float32Array) => raw.native.searchKnn(arrays.get(q)!, K) },
    });
    for (const { engine, buildMs, files, search } of built) {
      const found: number[][] = [];
      for (const q of set.queries) found.push((await search(q)) as number[]);
      const loaded = await loadInChild(engine.child, path.dirname(files[0]!), set, opts.loadRuns);
      const query = timings[engine.child]!;
      out.results.push({
        engine: engine.name,
        kind,
        n,
        dims,
        buildMs: round(buildMs, 0),
        query: { p50: round(query.p50, 3), p99: round(query.p99, 3) },
        recall: round(recallOf(found, set.truth), 4),
        residentMB: round(loaded.residentBytes / 2 ** 20, 1),
        diskMB: round((await sizeOf(files)) / 2 ** 20, 1),
        loadMs: round(loaded.loadMs, 1),
        ...(engine.note ? { note: engine.note } : {}),
      });
      if (engine.child === 'ours') {
        const rawQuery = timings.raw!;
        out.results.push({ ...raw.result, query: { p50: round(rawQuery.p50, 3), p99: round(rawQuery.p99, 3) } });
        out.efSweep.push(...(await sweepEf(ours.index(), set, opts.runs)));
      }
    }
    vectraCache.clear();
    await fs.rm(dir, { recursive: true, force: true });
  }
  return out;
}

/** hnswlib-node called directly on the same graph (queries already number[]): the floor our layer adds to. */
function rawHnswlib(file: string, set: Dataset): { native: InstanceType<typeof hnswlib.HierarchicalNSW>; result: EngineResult } {
  const native = new hnswlib.HierarchicalNSW('cosine', set.dims);
  native.readIndexSync(file);
  native.setEf(HNSW.ef);
  const found = set.queries.map((q) => native.searchKnn(Array.from(q), K).neighbors);
  const result: EngineResult = {
    engine: 'raw hnswlib-node (same graph)',
    kind: set.kind,
    n: set.n,
    dims: set.dims,
    buildMs: NaN,
    query: { p50: NaN, p99: NaN },
    recall: round(recallOf(found, set.truth), 4),
    residentMB: NaN,
    diskMB: NaN,
    loadMs: NaN,
  };
  return { native, result };
}

async function sweepEf(index: HnswIndex, set: Dataset, runs: number): Promise<EfPoint[]> {
  const points: EfPoint[] = [];
  for (const ef of EF_SWEEP) {
    index.setEf(ef);
    const query = await latency(set.queries, runs, (q) => index.search(q, K));
    const found = set.queries.map((q) => index.search(q, K).map((hit) => hit.label));
    points.push({ kind: set.kind, n: set.n, dims: set.dims, ef, query: { p50: round(query.p50, 3), p99: round(query.p99, 3) }, recall: round(recallOf(found, set.truth), 4) });
  }
  index.setEf(HNSW.ef, true);
  return points;
}

if (process.argv[2] === '--load') {
  const [, , , engine, dir, dims] = process.argv;
  await childLoad(engine!, dir!, Number(dims));
}
