// The library as rows in PostgreSQL (src/index/pg-*.ts, live-patch.ts): a publish writes only the
// document versions the database lacks; a process with no index folder builds one from the rows
// without embedding; a served index is brought to a newer generation in memory from the versions
// it lacks; a publisher killed before its commit leaves nothing visible.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyChange } from '../src/index/live-patch.js';
import { PostgresGenerations } from '../src/index/pg-generations.js';
import { GenerationSync, type ServedIndex } from '../src/index/pg-sync.js';
import { currentGeneration, openIndex, type LoadedIndex } from '../src/index/store.js';
import { updateIndex, type Splitter } from '../src/index/update.js';
import { migrate } from '../src/records/postgres/migrations.js';
import type { Document } from '../src/types.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { blockSplitter, largeCorpus, makeDoc, sampleCorpus, splitByBlock } from './helpers/index-fixtures.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, memoryLogger, tempPostgresDatabase } from './helpers/store.js';
import { until } from './helpers/until.js';

const hnsw = { m: 8, efConstruction: 64, ef: 32 };
const embedderIdentity = { id: new HashEmbedder().id, dims: new HashEmbedder().dims };
let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-pg-index-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function database(): Promise<{ url: string; query: (sql: string) => Promise<number> }> {
  const db = await tempPostgresDatabase();
  cleanups.push(db.cleanup);
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  cleanups.push(() => pool.end());
  return { url: db.url, query: async (sql) => (await pool.query<{ n: number }>(sql)).rows[0]!.n };
}

async function sync(url: string, indexDir: string): Promise<GenerationSync> {
  const s = await GenerationSync.start({ url, indexDir, log: memoryLogger() });
  cleanups.push(() => s.close());
  return s;
}

function build(indexDir: string, documents = sampleCorpus(), embedder = new HashEmbedder()) {
  return updateIndex({ indexDir, documents, splitter: blockSplitter, embedder, hnsw, progress: false });
}

/** A served index the way the Library holds one: patched in place, or replaced, by the sync. */
function served(index: LoadedIndex): ServedIndex & { index: LoadedIndex; patches: number; replaced: number } {
  const target = {
    index,
    patches: 0,
    replaced: 0,
    served: () => target.index,
    apply(patched: LoadedIndex, change: Parameters<ServedIndex['apply']>[1]) {
      applyChange(patched, change);
      target.patches++;
    },
    replace(_: LoadedIndex, next: LoadedIndex) {
      target.index = next;
      target.replaced++;
    },
  };
  return target;
}

/** A corpus (the sample one unless given) built and published by a writer, and a reader serving it, seeded from the rows. */
async function writerAndReader(corpus = sampleCorpus()) {
  const db = await database();
  const [writerDir, readerDir] = [await folder(), await folder()];
  await build(writerDir, corpus);
  const writer = await sync(db.url, writerDir);
  await writer.push();
  const reader = await sync(db.url, readerDir);
  const first = (await reader.seed(embedderIdentity, hnsw))!;
  const target = served(first);
  await reader.serve(target);
  return { db, writerDir, readerDir, writer, reader, first, target };
}

async function opened(indexDir: string): Promise<LoadedIndex> {
  const result = await openIndex(indexDir, hnsw);
  if (!result.ok) throw new Error(result.message);
  return result.index;
}

/** The sample corpus with the artillery guide's figure changed, the gardening notes removed and a new note. */
function editedCorpus(): Document[] {
  const [artillery, , cooking] = sampleCorpus();
  const edited = makeDoc(artillery!.id, 'Artillery guide', [
    { heading: 'Calibres', paragraphs: ['The M777 howitzer fires 155mm shells over long distances.', 'Crews train for months before deployment.'] },
    { heading: 'Logistics', paragraphs: ['Each battery consumed 4,120 rounds during the exercise.'] },
  ]);
  const bikes = makeDoc('notes/bikes', 'Bike storage', [{ paragraphs: ['Bikes go in the courtyard shed; the padlock combination is 6153.'] }]);
  return [edited, cooking!, bikes];
}

/** Each passage's ref and text, sorted: what two indexes hold alike, whatever their labels. */
function passageTexts(index: LoadedIndex): string[][] {
  return [...index.passagesByRef.values()].map((p) => [p.ref, p.text]).sort();
}

/** Labels the BM25 index returns for `query`, as passage texts. */
function lexicalTexts(index: LoadedIndex, query: string): string[] {
  return index.lexicalIndex.search(query, 10).map(({ label }) => index.passagesByLabel.get(label)?.text ?? `(label ${label} without a passage)`);
}

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'the library as rows in PostgreSQL' : `the library as rows in PostgreSQL (${POSTGRES_SKIPPED})`, () => {
  it('a first publish writes every document version; a one-document edit writes only that document', async () => {
    const db = await database();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    cleanups.push(() => pool.end());
    await migrate(pool);
    const generations = new PostgresGenerations(pool);
    const writerDir = await folder();
    const publishLive = async () => generations.publish(path.join(writerDir, (await currentGeneration(writerDir))!));
    await build(writerDir);
    const passages = sampleCorpus().reduce((sum, doc) => sum + doc.blocks.length, 0);
    expect(await publishLive()).toMatchObject({ documents: 3, passages });
    expect(await db.query('SELECT count(*)::int AS n FROM library_documents')).toBe(3);
    expect(await db.query('SELECT count(*)::int AS n FROM library_passages')).toBe(passages);
    expect(await db.query(`SELECT sum(length(vector))::int AS n FROM library_passages`)).toBe(passages * embedderIdentity.dims * 4);
    expect(await publishLive()).toBeNull(); // already there

    const [artillery, ...rest] = sampleCorpus();
    const edited = makeDoc(artillery!.id, 'Artillery guide', [{ heading: 'Logistics', paragraphs: ['Each battery consumed 4,120 rounds.', 'Resupply came by rail.'] }]);
    await build(writerDir, [edited, ...rest]);
    expect(await publishLive()).toMatchObject({ documents: 1, passages: 2 });
    // The old version stays while a kept generation holds it.
    expect(await db.query('SELECT count(*)::int AS n FROM library_documents')).toBe(4);
    expect(await db.query('SELECT count(*)::int AS n FROM library_passages')).toBe(passages + 2);
    expect(await db.query('SELECT count(*)::int AS n FROM library_generation_documents')).toBe(6);
  });

  it('a process with an empty index folder builds it from the rows, and an update there then embeds nothing', async () => {
    const db = await database();
    const [writerDir, readerDir] = [await folder(), await folder()];
    // Text extracted from a PDF can hold a NUL character: stored and read back as it is.
    const corpus = [...sampleCorpus(), makeDoc('notes/extract', 'Extract', [{ paragraphs: ['Column A\u0000Column B holds the totals.'] }])];
    const written = (await build(writerDir, corpus)).index;
    await (await sync(db.url, writerDir)).push();

    const seeded = await (await sync(db.url, readerDir)).seed(embedderIdentity, hnsw);
    expect(seeded).not.toBeNull();
    expect(await currentGeneration(readerDir)).toBe(path.basename(seeded!.dir));
    expect(seeded!.manifest.createdAt).toBe(written.manifest.createdAt);
    expect(passageTexts(seeded!)).toEqual(passageTexts(written));
    for (const passage of written.passagesByLabel.values()) {
      const copy = seeded!.passagesByRef.get(passage.ref)!;
      expect([...seeded!.vector(copy.label)!]).toEqual([...written.vector(passage.label)!]);
    }
    expect(lexicalTexts(seeded!, 'sourdough')).toEqual(['Sourdough bread rises slowly in a cool kitchen.']);
    // The folder holds an index like any other: reopened, and updated without embedding a passage.
    expect(passageTexts(await opened(readerDir))).toEqual(passageTexts(written));
    expect(seeded!.documents.get('notes/extract')?.text).toBe('Column A\u0000Column B holds the totals.');
    const embedder = new HashEmbedder();
    await build(readerDir, corpus, embedder);
    expect(embedder.embedded).toBe(0);
  });

  it('a served index is patched in memory to the newest generation: edited, added and removed documents, and nothing of the old versions', async () => {
    // The surveys make the edit a small share of the library: it is patched, not rebuilt (PATCH_MAX_SHARE).
    const { writerDir, writer, reader, first: index, target } = await writerAndReader([...sampleCorpus(), ...largeCorpus()]);
    expect(target.patches).toBe(0); // already the newest

    const newest = (await build(writerDir, [...editedCorpus(), ...largeCorpus()])).index;
    await writer.push();
    await reader.pull();
    expect(target.patches).toBe(1);

    expect(lexicalTexts(index, '4,120 rounds')[0]).toBe('Each battery consumed 4,120 rounds during the exercise.');
    expect(lexicalTexts(index, '3,794')).toEqual([]);
    expect(lexicalTexts(index, 'padlock combination')[0]).toBe('Bikes go in the courtyard shed; the padlock combination is 6153.');
    expect(lexicalTexts(index, 'tomatoes basil')).toEqual([]);
    expect(index.documents.has('notes/gardening')).toBe(false);
    expect(index.passagesByDoc.has('notes/gardening')).toBe(false);
    expect([...index.documentByPage.values()].filter((id) => !id.startsWith('large/')).sort()).toEqual(['guides/artillery', 'notes/bikes', 'notes/cooking']);
    expect(index.pageIndex.search('tomatoes', 5)).toEqual([]);
    expect(index.documentByPage.get(index.pageIndex.search('padlock', 1)[0]!.label)).toBe('notes/bikes');
    expect(index.passagesByRef.get('guides/artillery:3')?.text).toBe('Each battery consumed 4,120 rounds during the exercise.');
    expect(index.passagesByDoc.get('guides/artillery')?.map((p) => p.ref)).toEqual(['guides/artillery:1', 'guides/artillery:2', 'guides/artillery:3']);
    expect(index.manifest.counts).toMatchObject({ documents: 43, passages: newest.manifest.counts.passages });
    expect(index.manifest.createdAt).toBe(newest.manifest.createdAt);
    expect(Object.keys(index.manifest.documents).filter((id) => !id.startsWith('large/')).sort()).toEqual(['guides/artillery', 'notes/bikes', 'notes/cooking']);
    // Dense search finds each new passage by its own vector, and the vector read back is that one.
    for (const ref of ['guides/artillery:3', 'notes/bikes:1']) {
      const mine = index.passagesByRef.get(ref)!;
      const theirs = newest.passagesByRef.get(ref)!;
      const vector = newest.vector(theirs.label)!;
      expect(index.vectorIndex.search(vector, 1)[0]!.label).toBe(mine.label);
      expect(index.vector(mine.label)!.every((x, i) => Math.abs(x - vector[i]!) < 1e-5)).toBe(true);
    }
    // Freed labels were reused rather than the label space grown.
    expect(index.manifest.counts.labels).toBe([...sampleCorpus(), ...largeCorpus()].reduce((sum, doc) => sum + doc.blocks.length, 0));
    expect(target.replaced).toBe(0);
  });

  it('a newer generation is announced and applied by a serving process; an older one is never published over it', async () => {
    const db = await database();
    const [writerDir, readerDir, staleDir] = [await folder(), await folder(), await folder()];
    await build(staleDir); // built first: older than what the writer publishes
    await build(writerDir);
    const writer = await sync(db.url, writerDir);
    await writer.push();
    const reader = await sync(db.url, readerDir);
    const target = served((await reader.seed(embedderIdentity, hnsw))!);
    await reader.serve(target);

    await build(writerDir, editedCorpus());
    const newName = (await currentGeneration(writerDir))!;
    // The writer's sync sees its CURRENT change and publishes; NOTIFY makes the reader apply it.
    await until('the reader to apply the new generation', async () => target.served().passagesByRef.has('notes/bikes:1'));

    // A process with an older index starts: it does not publish it over the newer one.
    const stale = await sync(db.url, staleDir);
    await stale.push();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    cleanups.push(() => pool.end());
    expect((await new PostgresGenerations(pool).newest())?.name).toBe(newName);
  });

  it('a change past a share of the library is built beside the served index and swapped in, not patched', async () => {
    const { writerDir, readerDir, writer, reader, first, target } = await writerAndReader();

    const newest = (await build(writerDir, editedCorpus())).index;
    await writer.push();
    await reader.pull();
    expect(target).toMatchObject({ patches: 0, replaced: 1 });
    const index = target.served();
    expect(index).not.toBe(first);
    expect(index.manifest.createdAt).toBe(newest.manifest.createdAt);
    expect(passageTexts(index)).toEqual(passageTexts(newest));
    expect(lexicalTexts(index, 'tomatoes basil')).toEqual([]);
    // Written as the folder's live generation: the next start opens it.
    expect(await currentGeneration(readerDir)).toBe(path.basename(index.dir));
  });

  it('the same documents cut by another splitter are published again, and a serving process takes the new passages whole', async () => {
    const { db, writerDir, writer, target } = await writerAndReader();

    // One passage per document instead of one per block: the texts are unchanged, their passages not.
    const wholeDocuments: Splitter = {
      version: 'test-one-passage-per-document/1',
      split: (doc) => [{ ...splitByBlock(doc)[0]!, end: doc.text.length, text: doc.text }],
    };
    const resplit = (await updateIndex({ indexDir: writerDir, documents: sampleCorpus(), splitter: wholeDocuments, embedder: new HashEmbedder(), hnsw, progress: false })).index;
    expect(resplit.manifest.counts.passages).toBe(3);
    await writer.push();
    await until('the reader to serve the re-cut library', async () => target.served().manifest.splitter === wholeDocuments.version);
    expect(passageTexts(target.served())).toEqual(passageTexts(resplit));
    const fromRows = (await (await sync(db.url, await folder())).seed(embedderIdentity, hnsw))!;
    expect(passageTexts(fromRows)).toEqual(passageTexts(resplit));
    expect(fromRows.manifest.splitter).toBe(wholeDocuments.version);
  });

  it('a publisher killed before its commit leaves no rows, no generation and no announcement', async () => {
    const db = await database();
    const [writerDir, readerDir] = [await folder(), await folder()];
    await build(writerDir);
    const heard: string[] = [];
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    cleanups.push(() => listener.end());
    listener.on('notification', (message) => heard.push(String(message.payload)));
    await listener.query('LISTEN archivist_library');

    const child = path.join(import.meta.dirname, 'helpers', 'pg-publish-child.ts');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, db.url, writerDir], { env: { ...process.env, ARCHIVIST_TEST_PAUSE_AFTER: 'generation-sent' }, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      proc.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('paused after generation-sent')) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`the publisher exited (${code}) before pausing: ${stderr}`)));
    });
    // Paused inside the transaction: every row is written, none visible to another session.
    expect(await db.query('SELECT count(*)::int AS n FROM library_passages')).toBe(0);
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.once('exit', resolve));

    // The server ends the dead session's transaction when it notices the closed socket.
    await until('the killed session to be gone', async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`)) === 0);
    for (const table of ['library_generations', 'library_generation_documents', 'library_documents', 'library_passages']) {
      expect(await db.query(`SELECT count(*)::int AS n FROM ${table}`), table).toBe(0);
    }
    await listener.query('SELECT 1'); // a round trip: any notification sent before it has arrived
    expect(heard).toEqual([]);
    expect(await (await sync(db.url, readerDir)).seed(embedderIdentity, hnsw)).toBeNull();
    expect(await currentGeneration(readerDir)).toBeNull();
  });
});
