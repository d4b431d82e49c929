/**
 * Sentence embeddings from any Hugging Face ONNX model through transformers.js: a hub model id
 * (downloaded once into the model cache folder) or a local model folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline, type ProgressInfo } from '@huggingface/transformers';
import type { Embedder } from './embedder.js';
import { downloadReporter } from './download-progress.js';

/** Texts prepended before embedding; retrieval models are trained with them. */
export interface Prefixes {
  query: string;
  passage: string;
}

export interface TransformersOptions {
  cacheDir: string;
  /** Never download (the model must be cached or a local folder). */
  localOnly: boolean;
  /** Replaces the prefixes guessed from the model name. */
  prefixes?: Partial<Prefixes>;
  log: (line: string) => void;
}

/** Prefixes by model family, per the families' model cards; unknown models get none. */
export function prefixesFor(model: string): Prefixes {
  const name = model.toLowerCase();
  if (/(^|[/_-])e5([_-]|$)/.test(name)) return { query: 'query: ', passage: 'passage: ' };
  if (name.includes('bge-') && !name.includes('bge-m3')) return { query: 'Represent this sentence for searching relevant passages: ', passage: '' };
  if (name.includes('nomic-embed')) return { query: 'search_query: ', passage: 'search_document: ' };
  return { query: '', passage: '' };
}

/** BGE models are trained to pool on the [CLS] token; the others average the tokens. */
const poolingFor = (model: string): 'mean' | 'cls' => (/bge-/i.test(model) ? 'cls' : 'mean');

/** An existing directory, or something written as a path, is a local model folder. */
function isLocalModel(model: string): boolean {
  if (/^(\.{1,2}[\\/]|[\\/]|~[\\/]|[A-Za-z]:\\)/.test(model)) return true;
  return existsSync(model) && statSync(model).isDirectory();
}

/** `~/` is expanded here because values from `.env` never pass through a shell. */
const resolveFolder = (model: string) => (/^~[\\/]/.test(model) ? path.join(os.homedir(), model.slice(2)) : path.resolve(model));

const BATCH_SIZE = 16;
/** Token budget to characters: ~4 characters per WordPiece/BPE token of English. */
const CHARS_PER_TOKEN = 4;
const MAX_CHARS_CAP = 1000;

/** Local folders are read in place; fp32 weights are preferred when both files are there. */
function localDtype(folder: string): 'fp32' | 'q8' {
  if (!existsSync(folder)) throw new Error(`no model folder at ${folder}`);
  if (existsSync(path.join(folder, 'onnx', 'model.onnx'))) return 'fp32';
  if (existsSync(path.join(folder, 'onnx', 'model_quantized.onnx'))) return 'q8';
  throw new Error(`no onnx/model.onnx or onnx/model_quantized.onnx in ${folder}`);
}

class TransformersEmbedder implements Embedder {
  constructor(
    readonly id: string,
    readonly dims: number,
    readonly maxChars: number,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly prefixes: Prefixes,
    private readonly pooling: 'mean' | 'cls',
  ) {}

  private async embed(texts: string[]): Promise<Float32Array[]> {
    const output = await this.extractor(texts, { pooling: this.pooling, normalize: true });
    const data = output.data as Float32Array;
    return texts.map((_, i) => data.slice(i * this.dims, (i + 1) * this.dims));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embed([this.prefixes.query + text]);
    return vector!;
  }

  async embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<Float32Array[]> {
    // Similar lengths batched together waste less work on padding.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const out = new Array<Float32Array>(texts.length);
    for (let i = 0; i < order.length; i += BATCH_SIZE) {
      const batch = order.slice(i, i + BATCH_SIZE);
      const vectors = await this.embed(batch.map((k) => this.prefixes.passage + texts[k]!));
      batch.forEach((k, j) => (out[k] = vectors[j]!));
      onProgress?.(Math.min(i + BATCH_SIZE, order.length));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.extractor.dispose();
  }
}

/** Loads `model` (hub id or local folder); throws with the underlying reason if it cannot. */
export async function loadTransformersEmbedder(model: string, options: TransformersOptions): Promise<Embedder> {
  const local = isLocalModel(model);
  const source = local ? resolveFolder(model) : model;
  const localOnly = local || options.localOnly;
  // The pipeline lists and sizes the model's files before loading them, without passing on
  // `cache_dir` or `local_files_only`: only these globals keep that step in the cache folder and
  // off the network.
  env.cacheDir = options.cacheDir;
  env.allowRemoteModels = !localOnly;
  const reporter = downloadReporter(model, options.cacheDir, options.log);
  let extractor: FeatureExtractionPipeline;
  try {
    // A local folder is passed as its absolute path, which transformers.js reads in place
    // (it is not a valid hub id, so nothing is looked up remotely or in the cache).
    extractor = await pipeline('feature-extraction', source, {
      cache_dir: options.cacheDir,
      local_files_only: localOnly,
      ...(local ? { dtype: localDtype(source) } : {}),
      progress_callback: (info: ProgressInfo) => reporter.update(info),
    });
  } finally {
    reporter.stop();
  }

  const warmup = await extractor('warm-up', { pooling: 'mean', normalize: true });
  const dims = warmup.dims.at(-1) ?? 0;
  const config = extractor.model.config as { max_position_embeddings?: number };
  const maxTokens = Math.min(extractor.tokenizer.model_max_length ?? Infinity, config.max_position_embeddings ?? Infinity, 512);
  const maxChars = Math.min(Math.round(maxTokens * CHARS_PER_TOKEN), MAX_CHARS_CAP);
  const family = prefixesFor(model);
  const prefixes = { ...family, ...options.prefixes };
  const label = local ? path.basename(source) : model;
  // Stored vectors depend on the passage prefix, so a non-default one is part of the id: changing
  // it rebuilds the index instead of mixing vectors. The query prefix only affects new queries.
  const passagePrefix = prefixes.passage === family.passage ? '' : `:passage-prefix-${createHash('sha256').update(prefixes.passage).digest('hex').slice(0, 8)}`;
  return new TransformersEmbedder(`transformers:${label}:${dims}${passagePrefix}`, dims, maxChars, extractor, prefixes, poolingFor(model));
}
