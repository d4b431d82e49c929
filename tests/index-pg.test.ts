// The library's generations through PostgreSQL (src/index/pg-*.ts): one process builds, the others
// copy the generation in from the database (no re-embedding) when it is announced; a publisher
// killed mid-transaction leaves nothing visible.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresGenerations } from '../src/index/pg-generations.js';
import { GenerationSync } from '../src/index/pg-sync.js';
import { currentGeneration, openIndex } from '../src/index/store.js';
import { updateIndex } from '../src/index/update.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { blockSplitter, makeDoc, sampleCorpus } from './helpers/index-fixtures.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, memoryLogger, tempPostgresDatabase } from './helpers/store.js';
import { until } from './helpers/until.js';

const hnsw = { m: 8, efConstruction: 64, ef: 32 };
let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-pg-index-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function sync(url: string, indexDir: string): Promise<GenerationSync> {
  const s = await GenerationSync.start({ url, indexDir, log: memoryLogger() });
  cleanups.push(() => s.close());
  return s;
}

function build(indexDir: string, documents = sampleCorpus(), embedder = new HashEmbedder()) {
  return updateIndex({ indexDir, documents, splitter: blockSplitter, embedder, hnsw, progress: false });
}

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'library generations in PostgreSQL' : `library generations in PostgreSQL (${POSTGRES_SKIPPED})`, () => {
  it('a generation built in one folder is copied into another from the database, byte for byte, and loads without embedding', async () => {
    const db = await tempPostgresDatabase();
    cleanups.push(db.cleanup);
    const [writerDir, readerDir] = [await folder(), await folder()];
    await build(writerDir);
    const writer = await sync(db.url, writerDir);
    await writer.push();

    await sync(db.url, readerDir); // copies in the newest generation before it returns
    const name = (await currentGeneration(writerDir))!;
    expect(await currentGeneration(readerDir)).toBe(name);
    for (const file of await fs.readdir(path.join(writerDir, name))) {
      expect((await fs.readFile(path.join(readerDir, name, file))).equals(await fs.readFile(path.join(writerDir, name, file)))).toBe(true);
    }
    const opened = await openIndex(readerDir, hnsw);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect([...opened.index.passagesByRef.keys()].sort()).toEqual(sampleCorpus().flatMap((doc) => blockSplitter.split(doc, { maxChars: 500 }).map((p) => p.ref)).sort());
    // The reader's own update finds every passage already embedded: nothing is embedded again.
    const embedder = new HashEmbedder();
    await build(readerDir, sampleCorpus(), embedder);
    expect(embedder.embedded).toBe(0);
  });

  it('a newer generation is announced and copied in by a following process; an older one is never published over it', async () => {
    const db = await tempPostgresDatabase();
    cleanups.push(db.cleanup);
    const [writerDir, readerDir, staleDir] = [await folder(), await folder(), await folder()];
    await build(staleDir); // built first: older than what the writer publishes
    await build(writerDir);
    const writer = await sync(db.url, writerDir);
    await writer.push();
    await sync(db.url, readerDir);

    const extra = makeDoc('notes/bikes', 'Bike storage', [{ paragraphs: ['Bikes go in the courtyard shed; the padlock combination is 6153.'] }]);
    await build(writerDir, [...sampleCorpus(), extra]);
    const newName = (await currentGeneration(writerDir))!;
    const started = Date.now();
    // The writer's sync sees its CURRENT change and publishes; NOTIFY makes the reader copy it in.
    await until('the reader to copy in the new generation', async () => (await currentGeneration(readerDir)) === newName);
    console.log(`generation announced and copied in ${Date.now() - started} ms after the build finished (sample corpus)`);
    const opened = await openIndex(readerDir, hnsw);
    expect(opened.ok && opened.index.passagesByRef.has('notes/bikes:1')).toBe(true);

    // A process with an older index starts: it copies in the newest instead of publishing its own.
    const stale = await sync(db.url, staleDir);
    await stale.push();
    expect(await currentGeneration(staleDir)).toBe(newName);
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    cleanups.push(() => pool.end());
    expect((await new PostgresGenerations(pool).newest())?.name).toBe(newName);
  });

  it('a publisher killed before its commit leaves no generation, no files, and no announcement', async () => {
    const db = await tempPostgresDatabase();
    cleanups.push(db.cleanup);
    const [writerDir, readerDir] = [await folder(), await folder()];
    await build(writerDir);
    await sync(db.url, readerDir);
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
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.once('exit', resolve));

    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    cleanups.push(() => check.end());
    // The server ends the dead session's transaction when it notices the closed socket.
    await until('the killed session to be gone', async () => (await check.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`)).rowCount === 0);
    expect((await check.query('SELECT count(*)::int AS n FROM library_generations')).rows[0].n).toBe(0);
    expect((await check.query('SELECT count(*)::int AS n FROM library_generation_chunks')).rows[0].n).toBe(0);
    await listener.query('SELECT 1'); // a round trip: any notification sent before it has arrived
    expect(heard).toEqual([]);
    expect(await currentGeneration(readerDir)).toBeNull();
  });
});
