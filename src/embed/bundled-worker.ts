/**
 * Worker thread that owns the USE-lite onnxruntime session. onnxruntime-node's `run` is
 * synchronous under its promise, so running it here keeps the bot's event loop free while a
 * large folder is indexed; the session itself uses every core through its intra-op threads.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { buildUseLiteOnnx, useLitePackageDir, USE_LITE_DIMS, USE_LITE_MAX_TOKENS } from './use-lite-onnx.js';
import { UseLiteTokenizer, type Vocabulary } from './use-lite-tokenizer.js';

export interface WorkerRequest {
  id: number;
  texts: string[];
}
/** `vectors` holds one L2-normalised 512-dim vector per text, back to back. */
export type WorkerReply = { id: number; vectors: Float32Array } | { id: number; error: string };
export type WorkerStartup = { ready: true } | { ready: false; error: string };
export interface WorkerOptions {
  threads: number;
}

async function start(port: NonNullable<typeof parentPort>, options: WorkerOptions): Promise<void> {
  const dir = useLitePackageDir();
  const [bytes, vocabulary] = await Promise.all([
    buildUseLiteOnnx(dir),
    readFile(path.join(dir, 'vocab.json'), 'utf8').then((text) => JSON.parse(text) as Vocabulary),
  ]);
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Spinning idle threads cost the bot's other work CPU, and cost throughput when the cores
    // are shared (measured: ~30% fewer passages/s with spinning on a busy 2-core machine).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const tokenizer = new UseLiteTokenizer(vocabulary);

  const embed = async (texts: string[]): Promise<Float32Array<ArrayBuffer>> => {
    const tokens = texts.map((text) => tokenizer.encode(text).slice(0, USE_LITE_MAX_TOKENS));
    // At least one column, so an empty text still yields a (constant) vector.
    const width = Math.max(1, ...tokens.map((t) => t.length));
    const ids = new BigInt64Array(texts.length * width);
    const mask = new Float32Array(texts.length * width);
    tokens.forEach((row, b) =>
      row.forEach((id, j) => {
        ids[b * width + j] = BigInt(id);
        mask[b * width + j] = 1;
      }),
    );
    const shape = [texts.length, width];
    const { embedding } = await session.run({ ids: new ort.Tensor('int64', ids, shape), mask: new ort.Tensor('float32', mask, shape) });
    const vectors = Float32Array.from(embedding!.data as Float32Array);
    for (let b = 0; b < texts.length; b++) {
      const v = vectors.subarray(b * USE_LITE_DIMS, (b + 1) * USE_LITE_DIMS);
      const norm = Math.hypot(...v) || 1;
      for (let i = 0; i < v.length; i++) v[i]! /= norm;
    }
    return vectors;
  };

  // The first run allocates onnxruntime's buffers; paying for it here keeps the first query fast.
  await embed(['warm-up']);
  port.on('message', (request: WorkerRequest) => {
    embed(request.texts).then(
      (vectors) => port.postMessage({ id: request.id, vectors } satisfies WorkerReply, [vectors.buffer]),
      (error: unknown) => port.postMessage({ id: request.id, error: String(error) } satisfies WorkerReply),
    );
  });
  port.postMessage({ ready: true } satisfies WorkerStartup);
}

if (parentPort) {
  const port = parentPort;
  start(port, workerData as WorkerOptions).catch((error: unknown) =>
    port.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) } satisfies WorkerStartup),
  );
}
