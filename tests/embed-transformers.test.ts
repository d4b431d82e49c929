import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import type { Embedder } from '../src/embed/embedder.js';
import { createEmbedder } from '../src/embed/select.js';
import { prefixesFor } from '../src/embed/transformers.js';
import { TINY_DIMS, TINY_MAX_LENGTH, writeTinyModel } from './helpers/tiny-model.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

let tmp: string;
let modelDir: string;
const open: Embedder[] = [];
const networkCalls: string[] = [];

/** Offline by default: tests never reach the network. */
function config(env: Record<string, string>): Config {
  return loadConfig({ MODEL_CACHE_DIR: path.join(tmp, 'cache'), ARCHIVIST_OFFLINE: '1', ...env }, tmp);
}

async function create(env: Record<string, string>): Promise<{ embedder: Embedder; lines: string[] }> {
  const lines: string[] = [];
  const embedder = await createEmbedder(config(env), (line) => lines.push(line));
  open.push(embedder);
  return { embedder, lines };
}

beforeAll(async () => {
  // Any attempt to reach the network (ours or transformers.js's) is recorded and fails.
  const refuse = async (url: unknown) => {
    networkCalls.push(String(url));
    throw new Error('tests must not use the network');
  };
  env.fetch = refuse as typeof env.fetch;
  vi.stubGlobal('fetch', refuse);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'archivist-embed-'));
  modelDir = path.join(tmp, 'tiny-model');
  await writeTinyModel(modelDir);
});
afterAll(async () => {
  await Promise.all(open.map((e) => e.close()));
  await rm(tmp, { recursive: true, force: true });
  vi.unstubAllGlobals();
  expect(networkCalls).toEqual([]);
});

describe('transformers.js embedder (tiny local model)', () => {
  it('loads a local model folder named by EMBEDDING_MODEL', async () => {
    const { embedder, lines } = await create({ EMBEDDING_MODEL: modelDir });
    expect(embedder.id).toBe(`transformers:tiny-model:${TINY_DIMS}`);
    expect(embedder.dims).toBe(TINY_DIMS);
    expect(embedder.maxChars).toBe(TINY_MAX_LENGTH * 4);
    expect(lines).toEqual([`embedder: transformers.js tiny-model (${TINY_DIMS} dims) — EMBEDDING_MODEL=${modelDir}`]);
  });

  it('returns normalised vectors where texts sharing words are closer', async () => {
    const { embedder } = await create({ EMBEDDING_MODEL: modelDir });
    const progress: number[] = [];
    const [cat, cats, stocks] = await embedder.embedPassages(
      ['The cat sat on the mat', 'cats sat on a mat', 'Stock prices fell today'],
      (done) => progress.push(done),
    );
    expect(progress.at(-1)).toBe(3);
    for (const v of [cat!, cats!, stocks!]) expect(dot(v, v)).toBeCloseTo(1, 5);
    expect(dot(cat!, cats!)).toBeGreaterThan(dot(cat!, stocks!) + 0.2);
    const query = await embedder.embedQuery('The cat sat on the mat');
    expect(dot(query, cat!)).toBeCloseTo(1, 5);
  });

  it('applies query and passage prefixes from the configuration', async () => {
    const { embedder: plain } = await create({ EMBEDDING_MODEL: modelDir });
    const { embedder: prefixed } = await create({ EMBEDDING_MODEL: modelDir, EMBEDDING_QUERY_PREFIX: 'alpha ', EMBEDDING_PASSAGE_PREFIX: 'beta ' });
    const query = await prefixed.embedQuery('rainy weather');
    const [passage] = await prefixed.embedPassages(['rainy weather']);
    expect(dot(query, await plain.embedQuery('alpha rainy weather'))).toBeCloseTo(1, 5);
    expect(dot(passage!, await plain.embedQuery('beta rainy weather'))).toBeCloseTo(1, 5);
    expect(dot(query, await plain.embedQuery('rainy weather'))).toBeLessThan(0.99);
    // Vectors made with another passage prefix must not be mixed into an index: the id tells them apart.
    expect(prefixed.id).toMatch(new RegExp(`^transformers:tiny-model:${TINY_DIMS}:passage-prefix-[0-9a-f]{8}$`));
    const { embedder: queryOnly } = await create({ EMBEDDING_MODEL: modelDir, EMBEDDING_QUERY_PREFIX: 'alpha ' });
    expect(queryOnly.id).toBe(plain.id);
  });

  it('explains how to fix a model that cannot be loaded', async () => {
    await expect(create({ EMBEDDING_MODEL: path.join(tmp, 'missing-folder') })).rejects.toThrow(/EMBEDDING_MODEL=bundled/);
    await expect(create({ EMBEDDING_MODEL: 'someone/not-cached-model' })).rejects.toThrow(/downloads are off/i);
  });
});

describe('prefixes by model family', () => {
  it.each([
    ['intfloat/e5-small-v2', 'query: ', 'passage: '],
    ['Xenova/multilingual-e5-base', 'query: ', 'passage: '],
    ['BAAI/bge-small-en-v1.5', 'Represent this sentence for searching relevant passages: ', ''],
    ['nomic-ai/nomic-embed-text-v1.5', 'search_query: ', 'search_document: '],
    ['Xenova/all-MiniLM-L6-v2', '', ''],
  ])('%s', (model, query, passage) => {
    expect(prefixesFor(model)).toEqual({ query, passage });
  });
});

describe('EMBEDDING_MODEL=auto', () => {
  it('uses the default model when it is in the cache folder', async () => {
    const cached = path.join(tmp, 'warm-cache');
    await cp(modelDir, path.join(cached, 'Xenova', 'all-MiniLM-L6-v2'), { recursive: true });
    const { embedder, lines } = await create({ EMBEDDING_MODEL: 'auto', MODEL_CACHE_DIR: cached });
    expect(embedder.id).toBe(`transformers:Xenova/all-MiniLM-L6-v2:${TINY_DIMS}`);
    expect(lines).toEqual([`embedder: transformers.js Xenova/all-MiniLM-L6-v2 (${TINY_DIMS} dims) — Xenova/all-MiniLM-L6-v2 is cached in ${cached}`]);
  });

  it('falls back to the bundled encoder offline, without trying the hub', async () => {
    // The reason given says the hub was not tried; how long that takes is the machine's business.
    const { embedder, lines } = await create({ EMBEDDING_MODEL: 'auto' });
    expect(embedder.id).toBe('bundled:use-lite-512');
    expect(lines).toEqual(['embedder: bundled USE-lite (512 dims) — Xenova/all-MiniLM-L6-v2 is not cached and downloads are off (offline mode)']);
  });

  it('honours EMBEDDING_MODEL=bundled', async () => {
    const { embedder, lines } = await create({ EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '0' });
    expect(embedder.dims).toBe(512);
    expect(lines).toEqual(['embedder: bundled USE-lite (512 dims) — EMBEDDING_MODEL=bundled']);
  });
});
