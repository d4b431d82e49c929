// Small helpers shared by the benchmark sections: timing, percentiles, medians, seeded data, child processes.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface Latency {
  p50: number;
  p99: number;
}

/** Nearest-rank percentile of a sample (milliseconds in, milliseconds out). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/**
 * Runs `once` over every input `runs` times and returns the median, over runs, of each run's p50 and p99.
 * A warm-up pass over the first inputs comes first (JIT, caches).
 */
export async function latency<T>(inputs: T[], runs: number, once: (input: T) => unknown): Promise<Latency> {
  for (const input of inputs.slice(0, Math.min(20, inputs.length))) await once(input);
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let run = 0; run < runs; run++) {
    const times: number[] = [];
    for (const input of inputs) {
      const started = performance.now();
      await once(input);
      times.push(performance.now() - started);
    }
    p50s.push(percentile(times, 50));
    p99s.push(percentile(times, 99));
  }
  return { p50: median(p50s), p99: median(p99s) };
}

/**
 * Like `latency` for several functions at once, called in turn on each input, so that the load of a
 * shared machine falls on all of them alike and their ratios hold. `limit` caps the inputs a slow
 * function is timed on (the first `limit`).
 */
export async function interleavedLatency<T, K extends string>(
  inputs: T[],
  runs: number,
  fns: Record<K, { run: (input: T) => unknown; limit?: number }>,
): Promise<Record<K, Latency>> {
  const entries = Object.entries(fns) as Array<[K, { run: (input: T) => unknown; limit?: number }]>;
  for (const input of inputs.slice(0, Math.min(10, inputs.length))) for (const [, fn] of entries) await fn.run(input);
  const p50s = new Map<K, number[]>(entries.map(([key]) => [key, []]));
  const p99s = new Map<K, number[]>(entries.map(([key]) => [key, []]));
  for (let run = 0; run < runs; run++) {
    const times = new Map<K, number[]>(entries.map(([key]) => [key, []]));
    for (let i = 0; i < inputs.length; i++) {
      for (const [key, fn] of entries) {
        if (fn.limit !== undefined && i >= fn.limit) continue;
        const started = performance.now();
        await fn.run(inputs[i]!);
        times.get(key)!.push(performance.now() - started);
      }
    }
    for (const [key] of entries) {
      p50s.get(key)!.push(percentile(times.get(key)!, 50));
      p99s.get(key)!.push(percentile(times.get(key)!, 99));
    }
  }
  const out = {} as Record<K, Latency>;
  for (const [key] of entries) out[key] = { p50: median(p50s.get(key)!), p99: median(p99s.get(key)!) };
  return out;
}

/** Median wall time of `runs` calls, in milliseconds. */
export async function medianTime(runs: number, once: (run: number) => unknown): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await once(run);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** mulberry32: a small seeded PRNG, so every run sees the same vectors. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}

/** Resident set size after a full garbage collection (needs --expose-gc to collect). */
export function residentBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs a TypeScript module in a fresh Node process (so memory and cold-start figures are its own)
 * and returns the JSON object it prints as its last stdout line.
 */
export function runChild<T>(module: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', tsx, module, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as T);
      else reject(new Error(`${module} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}
