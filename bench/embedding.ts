// Section 2: embedding. For each embedder available here: start-up time, indexing throughput
// (passages/s over real passages of the docs corpus, with the title/heading context the indexer adds)
// and query latency p50/p99.
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import type { Embedder } from '../src/embed/embedder.js';
import { createEmbedder } from '../src/embed/select.js';
import { writeTinyModel } from '../tests/helpers/tiny-model.js';
import { latency, log, median, round, type Latency } from './measure.js';

export interface EmbeddingResult {
  embedder: string;
  id: string;
  dims: number;
  startMs: number;
  passages: number;
  passagesPerSecond: number;
  query: Latency;
  note?: string;
}

export interface EmbeddingResults {
  results: EmbeddingResult[];
  skipped: string[];
}

export interface EmbeddingOptions {
  /** Embedding texts of real passages (see end-to-end.ts, which loads the corpus). */
  texts: string[];
  questions: string[];
  runs: number;
  workDir: string;
}

/** The transformers.js default model, when the model cache has it (nothing is downloaded). */
const REAL_MODEL = 'Xenova/all-MiniLM-L6-v2';

interface Candidate {
  label: string;
  model: string;
  note?: string;
}

async function candidates(workDir: string, skipped: string[]): Promise<Candidate[]> {
  const tiny = path.join(workDir, 'tiny-model');
  await writeTinyModel(tiny);
  const list: Candidate[] = [
    { label: 'bundled USE-lite', model: 'bundled' },
    { label: 'transformers.js, test model', model: tiny, note: 'tests/helpers/tiny-model.ts: one embedding lookup, so this is the pipeline overhead (tokenizer, onnxruntime, pooling)' },
  ];
  const cache = loadConfig().modelCacheDir;
  const cached = await fs.stat(path.join(cache, REAL_MODEL, 'onnx', 'model.onnx')).then(() => true, () => false);
  if (cached) list.push({ label: `transformers.js, ${REAL_MODEL}`, model: REAL_MODEL });
  else skipped.push(`transformers.js on ${REAL_MODEL}: not in the model cache (${cache}); nothing is downloaded`);
  return list;
}

async function start(model: string): Promise<{ embedder: Embedder; ms: number }> {
  const config = { ...loadConfig(), embeddingModel: model, offline: true };
  const started = performance.now();
  const embedder = await createEmbedder(config, () => undefined);
  return { embedder, ms: performance.now() - started };
}

export async function benchEmbedding(opts: EmbeddingOptions): Promise<EmbeddingResults> {
  const out: EmbeddingResults = { results: [], skipped: [] };
  for (const candidate of await candidates(opts.workDir, out.skipped)) {
    log(`embedding: ${candidate.label}`);
    let loaded: { embedder: Embedder; ms: number };
    try {
      loaded = await start(candidate.model);
    } catch (error) {
      out.skipped.push(`${candidate.label}: ${(error as Error).message}`);
      continue;
    }
    const { embedder } = loaded;
    try {
      await embedder.embedPassages(opts.texts.slice(0, 32));
      const rates: number[] = [];
      for (let run = 0; run < opts.runs; run++) {
        const started = performance.now();
        await embedder.embedPassages(opts.texts);
        rates.push(opts.texts.length / ((performance.now() - started) / 1000));
      }
      const query = await latency(opts.questions, opts.runs, (q) => embedder.embedQuery(q));
      out.results.push({
        embedder: candidate.label,
        id: embedder.id,
        dims: embedder.dims,
        startMs: round(loaded.ms, 0),
        passages: opts.texts.length,
        passagesPerSecond: round(median(rates), 1),
        query: { p50: round(query.p50, 2), p99: round(query.p99, 2) },
        ...(candidate.note ? { note: candidate.note } : {}),
      });
    } finally {
      await embedder.close();
    }
  }
  return out;
}
