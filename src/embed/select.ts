/**
 * Chooses the embedder from `EMBEDDING_MODEL`: `auto` (the transformers.js default model when it
 * is cached or can be downloaded, else the bundled encoder), `bundled`, or a transformers.js model
 * name or local folder. Modules are imported lazily: transformers.js alone takes ~0.25 s to load.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Embedder } from './embedder.js';

const DEFAULT_MODEL = 'Xenova/all-MiniLM-L6-v2';
const HUB = 'https://huggingface.co';
/** Offline machines usually fail at DNS within milliseconds; this bounds a silently dropped connection. */
const HUB_TIMEOUT_MS = 2500;
const FIX = 'set EMBEDDING_MODEL=bundled to use the built-in offline encoder';

/** The files transformers.js needs for a hub model at the default (fp32) precision. */
function isCached(model: string, cacheDir: string): boolean {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', path.join('onnx', 'model.onnx')].every((file) =>
    existsSync(path.join(cacheDir, model, file)),
  );
}

async function hubReachable(): Promise<boolean> {
  try {
    await fetch(HUB, { method: 'HEAD', signal: AbortSignal.timeout(HUB_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function loadTransformers(model: string, config: Config, localOnly: boolean, log: (line: string) => void): Promise<Embedder> {
  const { loadTransformersEmbedder } = await import('./transformers.js');
  return loadTransformersEmbedder(model, { cacheDir: config.modelCacheDir, localOnly, prefixes: config.embeddingPrefixes, log });
}

async function loadBundled(): Promise<Embedder> {
  const { loadBundledEmbedder } = await import('./bundled.js');
  return loadBundledEmbedder();
}

const describe = (embedder: Embedder) =>
  embedder.id.startsWith('bundled:') ? `bundled USE-lite (${embedder.dims} dims)` : `transformers.js ${embedder.id.split(':')[1]} (${embedder.dims} dims)`;

/**
 * Creates the configured embedder and logs one line saying which and why, to `announce` when given
 * (a one-shot command logs it at debug; download progress still goes to `log`).
 */
export async function createEmbedder(config: Config, log: (line: string) => void, announce: (line: string) => void = log): Promise<Embedder> {
  const model = config.embeddingModel;
  const chosen = (embedder: Embedder, why: string) => {
    announce(`embedder: ${describe(embedder)} — ${why}`);
    return embedder;
  };

  if (model === 'bundled') return chosen(await loadBundled(), 'EMBEDDING_MODEL=bundled');

  if (model !== 'auto') {
    try {
      return chosen(await loadTransformers(model, config, config.offline, log), `EMBEDDING_MODEL=${model}`);
    } catch (error) {
      const offline = config.offline ? ' Downloads are off (HF_HUB_OFFLINE/ARCHIVIST_OFFLINE), so a hub model must already be in the cache.' : '';
      throw new Error(
        `EMBEDDING_MODEL=${model} could not be loaded: ${message(error)}.${offline} Use a Hugging Face model id with ONNX weights ` +
          `(e.g. ${DEFAULT_MODEL}) or a folder with config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx; or ${FIX}.`,
      );
    }
  }

  if (isCached(DEFAULT_MODEL, config.modelCacheDir)) {
    try {
      return chosen(await loadTransformers(DEFAULT_MODEL, config, true, log), `${DEFAULT_MODEL} is cached in ${config.modelCacheDir}`);
    } catch (error) {
      return chosen(await loadBundled(), `the cached ${DEFAULT_MODEL} failed to load (${message(error)})`);
    }
  }
  if (config.offline) return chosen(await loadBundled(), `${DEFAULT_MODEL} is not cached and downloads are off (offline mode)`);

  // Warm the bundled encoder while the hub is probed, so an offline start pays for one, not both.
  const bundled = loadBundled();
  bundled.catch(() => undefined);
  if (!(await hubReachable())) return chosen(await bundled, `${DEFAULT_MODEL} is not cached and ${new URL(HUB).host} is unreachable`);
  try {
    const embedder = await loadTransformers(DEFAULT_MODEL, config, false, log);
    void bundled.then((b) => b.close(), () => undefined);
    return chosen(embedder, `downloaded ${DEFAULT_MODEL} into ${config.modelCacheDir}`);
  } catch (error) {
    return chosen(await bundled, `${DEFAULT_MODEL} could not be downloaded (${message(error)})`);
  }
}
