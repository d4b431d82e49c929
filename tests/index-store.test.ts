import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE_PASSAGES, SCALE_METHOD } from '../src/embed/similarity-scale.js';
import { embeddingText } from '../src/index/embedding-text.js';
import { acquireWriteLock } from '../src/index/lock.js';
import { FORMAT_VERSION, openIndex, readVectors, type LoadedIndex } from '../src/index/store.js';
import { updateIndex, type UpdateOptions } from '../src/index/update.js';
import type { Document } from '../src/types.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { blockSplitter, makeDoc, sampleCorpus, splitByBlock } from './helpers/index-fixtures.js';

const hnsw = { m: 8, efConstruction: 64, ef: 32 };

let indexDir: string;
let lines: string[];

beforeEach(async () => {
  indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-index-'));
  lines = [];
});
afterEach(async () => {
  await fs.rm(indexDir, { recursive: true, force: true });
});

function update(documents: Document[], embedder: HashEmbedder, extra: Partial<UpdateOptions> = {}) {
  return updateIndex({ indexDir, documents, splitter: blockSplitter, embedder, hnsw, log: (line) => lines.push(line), progress: false, ...extra });
}

async function open(embedder?: HashEmbedder): Promise<LoadedIndex> {
  const opened = await openIndex(indexDir, hnsw, embedder ? { embedder } : {});
  if (!opened.ok) throw new Error(`${opened.reason}: ${opened.message}`);
  return opened.index;
}

async function denseTop(index: LoadedIndex, embedder: HashEmbedder, question: string): Promise<string | undefined> {
  const [hit] = index.vectorIndex.search(await embedder.embedQuery(question), 1);
  return hit && index.passagesByLabel.get(hit.label)?.ref;
}

function lexicalTop(index: LoadedIndex, question: string): string | undefined {
  const [hit] = index.lexicalIndex.search(question, 1);
  return hit && index.passagesByLabel.get(hit.label)?.ref;
}

/** Each passage's row of vectors.f32, by ref. */
async function storedVectors(index: LoadedIndex): Promise<Map<string, Float32Array>> {
  const dims = index.manifest.embedder.dims;
  const rows = await readVectors(index);
  return new Map([...index.passagesByRef].map(([ref, { label }]) => [ref, rows.subarray(label * dims, (label + 1) * dims)]));
}

/** `vector(label)` serves every live label's stored row, from no full copy of the vectors; free labels give undefined. */
async function expectVectorsServedWithoutCopy(index: LoadedIndex): Promise<void> {
  const { dims } = index.manifest.embedder;
  const { labels } = index.manifest.counts;
  const rows = await readVectors(index);
  for (let label = 0; label < labels + 2; label++) {
    const vector = index.vector(label);
    if (!index.passagesByLabel.has(label)) {
      expect(vector).toBeUndefined();
      continue;
    }
    // Its own buffer, not a view into a matrix of every vector.
    expect(vector!.buffer.byteLength).toBe(dims * 4);
    const row = rows.subarray(label * dims, (label + 1) * dims);
    expect(Math.max(...vector!.map((x, i) => Math.abs(x - row[i]!)))).toBeLessThan(1e-6);
  }
  const matrices = Object.values(index).filter((value) => ArrayBuffer.isView(value) && value.byteLength >= labels * dims * 4);
  expect(matrices).toEqual([]);
}

async function generations(): Promise<string[]> {
  return (await fs.readdir(indexDir)).filter((name) => /^(gen|tmp)-/.test(name));
}

describe('building and opening', () => {
  it('writes a generation that opens and answers dense and lexical searches', async () => {
    const embedder = new HashEmbedder();
    const { index: built, report } = await update(sampleCorpus(), embedder);
    expect(report).toMatchObject({ added: 3, changed: 0, removed: 0, unchanged: 0, passagesEmbedded: 7 });
    // The 7 passages, and the reference passages that measure the embedder's similarity scale.
    expect(embedder.embedded).toBe(7 + REFERENCE_PASSAGES);
    expect(built.manifest.similarityScale).toEqual({ related: expect.any(Number), unrelated: expect.any(Number), method: SCALE_METHOD });
    expect(built.passagesByLabel.size).toBe(7);

    const index = await open(embedder);
    expect(index.manifest).toMatchObject({
      formatVersion: FORMAT_VERSION,
      embedder: { id: embedder.id, dims: embedder.dims },
      hnsw,
      counts: { documents: 3, passages: 7, labels: 7 },
    });
    expect(index.manifest.documents['notes/cooking']).toMatchObject({ path: 'notes/cooking.md', passages: 2 });
    expect(await denseTop(index, embedder, 'how long does lentil soup freeze')).toBe('notes/cooking:2');
    expect(lexicalTop(index, 'how many rounds were consumed, 3794?')).toBe('guides/artillery:3');

    const passage = index.passagesByRef.get('guides/artillery:1')!;
    expect(passage.text).toBe('The M777 howitzer fires 155mm shells over long distances.');
    expect(passage.headingPath).toEqual(['Calibres']);
    expect(index.documents.get(passage.docId)!.text.slice(passage.start, passage.end)).toBe(passage.text);
    expect(index.passagesByDoc.get('guides/artillery')!.map((p) => p.ordinal)).toEqual([1, 2, 3]);
    expect(index.vector(passage.label)).toHaveLength(embedder.dims);
    expect(index.vector(99)).toBeUndefined();
    await expectVectorsServedWithoutCopy(index);
    const stored = await storedVectors(index);
    expect(Array.from(stored.get(passage.ref)!)).toEqual(Array.from(await embedder.embedQuery(embeddingText(index.documents.get(passage.docId)!, passage))));

    // The embedder saw title and headings in front of the passage.
    expect(embedder.texts).toContain('Artillery guide › Calibres\nThe M777 howitzer fires 155mm shells over long distances.');
    expect(await generations()).toHaveLength(1);
    expect(await fs.readdir(indexDir)).not.toContain('.partial');
  });

  it('serves stored vectors from the graph once a newer generation has removed vectors.f32', async () => {
    const embedder = new HashEmbedder();
    await update(sampleCorpus(), embedder);
    const index = await open(embedder);
    const stored = await storedVectors(index);
    const changed = makeDoc('travel', 'Travel', [{ paragraphs: ['Trains to the coast leave hourly.'] }]);
    await update([...sampleCorpus(), changed], embedder);
    await expect(fs.stat(path.join(index.dir, 'vectors.f32'))).rejects.toThrow(/ENOENT/);
    for (const [ref, row] of stored) {
      const vector = index.vector(index.passagesByRef.get(ref)!.label)!;
      expect(Math.max(...vector.map((x, i) => Math.abs(x - row[i]!)))).toBeLessThan(1e-6);
    }
  });

  it('reports a missing index', async () => {
    expect(await openIndex(indexDir, hnsw)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('does not rewrite an index that is up to date', async () => {
    await update(sampleCorpus(), new HashEmbedder());
    const before = await generations();
    const embedder = new HashEmbedder();
    const { report } = await update(sampleCorpus(), embedder);
    expect(report).toMatchObject({ unchanged: 3, passagesEmbedded: 0 });
    expect(embedder.embedded).toBe(0);
    expect(await generations()).toEqual(before);
  });

  it('reads an index written before checksums unchecked, and the next update adds them without embedding', async () => {
    const { index: built } = await update(sampleCorpus(), new HashEmbedder());
    const file = path.join(built.dir, 'manifest.json');
    const { checksum: _seal, files: _sums, ...legacy } = JSON.parse(await fs.readFile(file, 'utf8'));
    await fs.writeFile(file, JSON.stringify(legacy, null, 1));
    const opened = await open();
    expect(opened.manifest.files).toBeUndefined();
    expect(lexicalTop(opened, 'sourdough')).toBe('notes/cooking:1');

    const embedder = new HashEmbedder();
    const { index, report } = await update(sampleCorpus(), embedder);
    expect(report).toMatchObject({ unchanged: 3, passagesEmbedded: 0 });
    expect(index.dir).not.toBe(built.dir);
    expect(Object.keys((await open()).manifest.files!).sort()).toEqual(['documents.json', 'lexical.bin', 'pages.bin', 'passages.json', 'vectors.f32', 'vectors.hnsw']);
    // Now checked: damage is found.
    await fs.truncate(path.join(index.dir, 'pages.bin'), 10);
    expect(await openIndex(indexDir, hnsw)).toMatchObject({ ok: false, reason: 'damaged', damage: { files: ['pages.bin'] } });
  });
});

describe('incremental updates', () => {
  it('embeds only the changed document and keeps the others', async () => {
    const corpus = sampleCorpus();
    await update(corpus, new HashEmbedder());
    const old = await open();
    const oldVectors = await storedVectors(old);

    const changed = makeDoc('notes/gardening', 'Gardening notes', [
      { paragraphs: ['Tomatoes need full sun and regular watering.', 'Chillies ripen late in autumn.', 'Mulch keeps the beds moist.'] },
    ]);
    const embedder = new HashEmbedder();
    const { report } = await update([corpus[0]!, changed, corpus[2]!], embedder);
    expect(report).toMatchObject({ added: 0, changed: 1, removed: 0, unchanged: 2, passagesEmbedded: 3 });
    expect(embedder.texts).toEqual([
      'Gardening notes\nTomatoes need full sun and regular watering.',
      'Gardening notes\nChillies ripen late in autumn.',
      'Gardening notes\nMulch keeps the beds moist.',
    ]);

    const index = await open(embedder);
    expect(index.manifest.counts).toEqual({ documents: 3, passages: 8, labels: 8 });
    // Unchanged passages keep their labels; the old ones are gone from both retrievers.
    expect(index.passagesByRef.get('guides/artillery:3')!.label).toBe(old.passagesByRef.get('guides/artillery:3')!.label);
    expect(await denseTop(index, embedder, 'when do chillies ripen')).toBe('notes/gardening:2');
    expect(lexicalTop(index, 'mulch')).toBe('notes/gardening:3');
    expect(lexicalTop(index, 'basil')).toBeUndefined();
    expect(index.vectorIndex.search(await embedder.embedQuery('prune the basil before it flowers'), 8)).toHaveLength(8);
    expect(await denseTop(index, embedder, 'lentil soup freezes well')).toBe('notes/cooking:2');
    // The unchanged passages' vectors came from the previous generation's file, bit for bit.
    const newVectors = await storedVectors(index);
    for (const ref of ['guides/artillery:1', 'guides/artillery:3', 'notes/cooking:2']) {
      expect(Array.from(newVectors.get(ref)!)).toEqual(Array.from(oldVectors.get(ref)!));
    }
    await expectVectorsServedWithoutCopy(index);
  });

  it('adds and removes documents, reusing the labels of removed passages', async () => {
    const [artillery, gardening, cooking] = sampleCorpus();
    await update([artillery!, gardening!, cooking!], new HashEmbedder());

    const travel = makeDoc('travel', 'Travel', [{ paragraphs: ['Trains to the coast leave hourly.'] }]);
    const embedder = new HashEmbedder();
    const { report } = await update([artillery!, cooking!, travel], embedder);
    expect(report).toMatchObject({ added: 1, changed: 0, removed: 1, unchanged: 2, passagesEmbedded: 1 });
    expect(embedder.embedded).toBe(1);

    const index = await open(embedder);
    expect([...index.documents.keys()].sort()).toEqual(['guides/artillery', 'notes/cooking', 'travel']);
    expect(index.passagesByRef.has('notes/gardening:1')).toBe(false);
    expect(index.manifest.counts).toEqual({ documents: 3, passages: 6, labels: 7 });
    expect(index.vectorIndex.size).toBe(6);
    expect(index.lexicalIndex.size).toBe(6);
    expect(await denseTop(index, embedder, 'trains to the coast')).toBe('travel:1');
    expect(lexicalTop(index, 'tomatoes')).toBeUndefined();
    // The free label left by the removed document's second passage is still zero in vectors.f32.
    const freeLabel = [...Array(7).keys()].find((label) => !index.passagesByLabel.has(label))!;
    expect((await readVectors(index)).subarray(freeLabel * embedder.dims, (freeLabel + 1) * embedder.dims).every((x) => x === 0)).toBe(true);
    expect(index.vector(freeLabel)).toBeUndefined();
    await expectVectorsServedWithoutCopy(index);
  });

  it('rebuilds the graph from stored vectors, without re-embedding, when HNSW parameters change', async () => {
    await update(sampleCorpus(), new HashEmbedder());
    const oldVectors = await storedVectors(await open());
    const embedder = new HashEmbedder();
    const { report } = await update(sampleCorpus(), embedder, { hnsw: { m: 12, efConstruction: 80, ef: 32 } });
    expect(report.passagesEmbedded).toBe(0);
    expect(embedder.embedded).toBe(0);
    expect(lines.some((line) => line.includes('m/efConstruction changed from 8/64 to 12/80'))).toBe(true);
    const index = await open(embedder);
    expect(index.manifest.hnsw).toMatchObject({ m: 12, efConstruction: 80 });
    expect(await denseTop(index, embedder, 'sourdough bread rises slowly')).toBe('notes/cooking:1');
    const newVectors = await storedVectors(index);
    for (const [ref, vector] of oldVectors) expect(Array.from(newVectors.get(ref)!)).toEqual(Array.from(vector));
    await expectVectorsServedWithoutCopy(index);
  });

  it('splits and embeds every document again when the splitter version changes, then only what changes', async () => {
    await update(sampleCorpus(), new HashEmbedder());
    expect((await open()).manifest.splitter).toBe(blockSplitter.version);
    // Same bytes, a new way of cutting them: one passage per document instead of one per block.
    const wholeDocument = {
      version: 'test-one-passage-per-document/1',
      split: (doc: Document) => [{ ...splitByBlock(doc)[0]!, end: doc.text.length, text: doc.text }],
    };
    const embedder = new HashEmbedder();
    const { report } = await update(sampleCorpus(), embedder, { splitter: wholeDocument });
    expect(report).toMatchObject({ added: 0, changed: 3, removed: 0, unchanged: 0, passagesEmbedded: 3 });
    expect(lines.some((line) => line.includes('the passage splitter changed (test-one-passage-per-block/1 -> test-one-passage-per-document/1)'))).toBe(true);
    const index = await open(embedder);
    // Nothing of the old cut is left: three passages, three labels, in both retrievers.
    expect(index.manifest).toMatchObject({ splitter: wholeDocument.version, counts: { documents: 3, passages: 3, labels: 3 } });
    expect(index.lexicalIndex.size).toBe(3);
    expect(index.vectorIndex.size).toBe(3);
    expect(await denseTop(index, embedder, sampleCorpus()[1]!.text)).toBe('notes/gardening:1');

    const again = new HashEmbedder();
    expect((await update(sampleCorpus(), again, { splitter: wholeDocument })).report).toMatchObject({ unchanged: 3, passagesEmbedded: 0 });
  });
});

describe('rebuilding an unusable index', () => {
  it('rebuilds an index made with another embedder id or another vector size', async () => {
    await update(sampleCorpus(), new HashEmbedder({ id: 'model-a' }));
    expect(await openIndex(indexDir, hnsw, { embedder: { id: 'model-b', dims: 64 } })).toMatchObject({ ok: false, reason: 'embedder-mismatch' });

    const renamed = new HashEmbedder({ id: 'model-b' });
    expect((await update(sampleCorpus(), renamed)).report).toMatchObject({ added: 3, passagesEmbedded: 7 });
    expect(lines.some((line) => line.startsWith('rebuilding the index from scratch') && line.includes('model-a'))).toBe(true);

    const wider = new HashEmbedder({ id: 'model-b', dims: 96 });
    expect((await update(sampleCorpus(), wider)).report.passagesEmbedded).toBe(7);
    const index = await open(wider);
    expect(index.manifest.embedder).toEqual({ id: 'model-b', dims: 96 });
    expect(await denseTop(index, wider, 'tomatoes need sun')).toBe('notes/gardening:1');
  });

  // Damage is found by the checksums in the manifest and repaired from what is intact; only a
  // damaged manifest or passage table (the labels) costs embedding everything again.
  const damages: Array<[string, (dir: string) => Promise<void>, RegExp, number]> = [
    ['corrupt passages.json', async (gen) => fs.writeFile(path.join(gen, 'passages.json'), '[{"label": 0, "docId'), /passages\.json fails its checksum/, 7],
    ['passages.json that is not a list', async (gen) => fs.writeFile(path.join(gen, 'passages.json'), '{}'), /passages\.json fails its checksum/, 7],
    ['corrupt manifest.json', async (gen) => fs.writeFile(path.join(gen, 'manifest.json'), '{ not json'), /manifest\.json is damaged/, 7],
    ['truncated vectors.hnsw', async (gen) => fs.truncate(path.join(gen, 'vectors.hnsw'), 100), /vectors\.hnsw fails its checksum/, 0],
    ['truncated vectors.f32', async (gen) => fs.truncate(path.join(gen, 'vectors.f32'), 10), /vectors\.f32 fails its checksum/, 7],
    ['truncated lexical.bin', async (gen) => fs.truncate(path.join(gen, 'lexical.bin'), 40), /lexical\.bin fails its checksum/, 0],
    ['passages outside their document', async (gen) => {
      const file = path.join(gen, 'passages.json');
      const passages = JSON.parse(await fs.readFile(file, 'utf8'));
      passages[0].end = 1e6;
      await fs.writeFile(file, JSON.stringify(passages));
    }, /passages\.json fails its checksum/, 7],
  ];
  for (const [damage, apply, message, embedded] of damages) {
    it(`names the problem and repairs or rebuilds after ${damage}`, async () => {
      const { index: built } = await update(sampleCorpus(), new HashEmbedder());
      await apply(built.dir);
      const opened = await openIndex(indexDir, hnsw);
      expect(opened).toMatchObject({ ok: false, reason: 'damaged' });
      if (!opened.ok) expect(opened.message).toMatch(message);
      const embedder = new HashEmbedder();
      const warnings: string[] = [];
      expect((await update(sampleCorpus(), embedder, { warn: (line) => warnings.push(line) })).report.passagesEmbedded).toBe(embedded);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(message);
      const index = await open(embedder);
      expect(lexicalTop(index, 'sourdough')).toBe('notes/cooking:1');
      expect(await generations()).toHaveLength(1);
    });
  }

  it('repairs an updated index (free labels, patched BM25) to the same labels and the same answers', async () => {
    const [artillery, gardening, cooking] = sampleCorpus();
    await update([artillery!, gardening!, cooking!], new HashEmbedder());
    const travel = makeDoc('travel', 'Travel', [{ paragraphs: ['Trains to the coast leave hourly.'] }]);
    const embedder = new HashEmbedder();
    const corpus = [artillery!, cooking!, travel];
    const { index: before } = await update(corpus, embedder);
    expect(before.manifest.counts.labels).toBeGreaterThan(before.manifest.counts.passages);
    const questions = ['trains to the coast', 'howitzer shells', 'lentil soup', 'crews train for months'];
    const answers = async (index: LoadedIndex) =>
      Promise.all(questions.map(async (q) => [await denseTop(index, embedder, q), lexicalTop(index, q), index.pageIndex.search(q, 3)]));
    const expected = await answers(before);

    for (const file of ['vectors.hnsw', 'vectors.f32', 'lexical.bin', 'pages.bin', 'documents.json']) {
      const { dir } = await open(embedder);
      await fs.truncate(path.join(dir, file), 8);
      const warnings: string[] = [];
      await update(corpus, embedder, { warn: (line) => warnings.push(line) });
      expect(warnings, file).toEqual([expect.stringMatching(new RegExp(`${file.replace('.', '\\.')} fails its checksum; repaired`))]);
      const repaired = await open(embedder);
      expect([...repaired.passagesByRef].map(([ref, p]) => [ref, p.label])).toEqual([...before.passagesByRef].map(([ref, p]) => [ref, p.label]));
      expect(await answers(repaired), file).toEqual(expected);
    }
  });

  it('reports an index of another format version', async () => {
    const { index } = await update(sampleCorpus(), new HashEmbedder());
    const file = path.join(index.dir, 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(file, 'utf8'));
    // Sealed as the other version would seal it: its checksum covers the rest of its JSON.
    const { checksum: _old, ...body } = { ...manifest, formatVersion: FORMAT_VERSION + 1 };
    await fs.writeFile(file, JSON.stringify({ checksum: crc32(JSON.stringify(body, null, 1)), ...body }, null, 1));
    expect(await openIndex(indexDir, hnsw)).toMatchObject({ ok: false, reason: 'format-version' });
    expect((await update(sampleCorpus(), new HashEmbedder())).report.passagesEmbedded).toBe(7);
    expect(lines.some((line) => line.includes(`format version ${FORMAT_VERSION + 1}`))).toBe(true);
  });
});

describe('the write lock', () => {
  it('refuses a second writer and takes over a lock left by a dead process', async () => {
    const release = await acquireWriteLock(indexDir);
    await expect(update(sampleCorpus(), new HashEmbedder())).rejects.toThrow(/another index build/);
    await release();
    // No process has pid 2^22 + 1 (above Linux's pid_max default); its lock is stale.
    await fs.writeFile(path.join(indexDir, 'write.lock'), `${2 ** 22 + 1}\n`);
    expect((await update(sampleCorpus(), new HashEmbedder())).report.added).toBe(3);
    expect(await fs.readdir(indexDir)).not.toContain('write.lock');
  });
});
