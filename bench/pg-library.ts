// `npx tsx bench/pg-library.ts --postgres URL --index DIR`: what the library as rows in PostgreSQL
// costs (src/index/pg-*.ts). DIR is only read: it is copied to a temporary folder, and a fresh
// database beside the one URL names is created (dropped after). Times, on DIR's live generation:
//   1. the first publish (every document version, passage and vector in one transaction);
//   2. a one-page edit: the local re-index (one page embedded with the configured embedder, the
//      generation written) and its publish (that page's rows);
//   3. a reader serving the generation before the edit: fetching the difference and applying it in
//      memory, and the time from the publish's COMMIT to the patch applied (NOTIFY included);
//   4. cold start of a process: opening the index folder, against building it from the rows into an
//      empty folder (no embedding).
// Run with EMBEDDING_MODEL set as when DIR was built (e.g. bundled) and ARCHIVIST_ENV_FILE= .
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embed/select.js';
import { applyChange } from '../src/index/live-patch.js';
import { PostgresGenerations } from '../src/index/pg-generations.js';
import { GenerationSync } from '../src/index/pg-sync.js';
import { currentGeneration, openIndex, readGenerationRecords, type LoadedIndex } from '../src/index/store.js';
import { updateIndex } from '../src/index/update.js';
import { createLogger } from '../src/log.js';
import { SPLITTER_VERSION, splitDocument } from '../src/passages/split.js';
import { migrate } from '../src/records/postgres/migrations.js';

const { values } = parseArgs({ options: { postgres: { type: 'string' }, index: { type: 'string' } } });
const url = values.postgres ?? process.env.DATABASE_URL;
if (!url) throw new Error('give --postgres URL (or DATABASE_URL)');
if (!values.index) throw new Error('give --index DIR: the index folder whose live generation to publish');
const log = createLogger({ level: 'error' });
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const since = (started: number) => Math.round(performance.now() - started);

const name = `archivist_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const benchUrl = new URL(url);
benchUrl.pathname = `/${name}`;
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-bench-pg-library-'));
const writerDir = path.join(work, 'writer');
const emptyDir = path.join(work, 'empty');
const config = loadConfig();
const embedder = await createEmbedder(config, () => undefined);
const pool = new pg.Pool({ connectionString: benchUrl.toString(), max: 2 });
const syncs: GenerationSync[] = [];
try {
  await fs.cp(values.index, writerDir, { recursive: true });
  const generation = (await currentGeneration(writerDir))!;
  await migrate(pool);
  const generations = new PostgresGenerations(pool);

  // 1. First publish.
  let started = performance.now();
  const first = await generations.publish(path.join(writerDir, generation));
  console.log(`first publish: ${since(started)} ms (${first?.documents} documents, ${first?.passages} passages)`);
  const size = await pool.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  console.log(`database size after the first publish: ${size.rows[0]!.size}`);

  // 4 (files). Opening the folder, as a process with its own index does at start; it also serves as the reader below.
  const rss0 = process.memoryUsage().rss;
  started = performance.now();
  const fromFiles = await openIndex(writerDir, config.hnsw);
  if (!fromFiles.ok) throw new Error(fromFiles.message);
  console.log(`cold start from the folder: openIndex ${since(started)} ms (rss +${mb(process.memoryUsage().rss - rss0)})`);
  const reader: LoadedIndex = fromFiles.index;
  const heldBefore = { createdAt: reader.manifest.createdAt, documents: { ...reader.manifest.documents }, splitter: reader.manifest.splitter, embedder: reader.manifest.embedder };

  // A reader process: serves the generation before the edit, patched when the edit is announced.
  let applied: { at: number; ms: number } | null = null;
  const readerSync = await GenerationSync.start({ url: benchUrl.toString(), indexDir: path.join(work, 'reader-unused'), log });
  syncs.push(readerSync);
  await readerSync.serve({
    served: () => reader,
    apply(index, change) {
      const t = performance.now();
      applyChange(index, change);
      applied = { at: performance.now(), ms: performance.now() - t };
    },
    replace() {
      throw new Error('a one-page edit is patched, not rebuilt');
    },
  });

  // 2. One-page edit, re-indexed locally, then published.
  const { documents } = await readGenerationRecords(path.join(writerDir, generation));
  const page = documents.find((doc) => doc.id.endsWith('asyncio-task')) ?? documents[0]!;
  const marker = 'zebracorn';
  const at = page.text.indexOf(' the ') + 1;
  // Same length, so the page's block offsets stay right.
  const edited = { ...page, text: `${page.text.slice(0, at)}${marker}${page.text.slice(at + marker.length)}`, hash: `${page.hash}-edited` };
  started = performance.now();
  const reindexed = await updateIndex({
    indexDir: writerDir,
    documents: documents.map((doc) => (doc === page ? edited : doc)),
    splitter: { version: SPLITTER_VERSION, split: splitDocument },
    embedder,
    hnsw: config.hnsw,
    progress: false,
  });
  console.log(`one-page edit (${page.id}), local re-index: ${since(started)} ms (embedded ${reindexed.report.passagesEmbedded} passages)`);
  started = performance.now();
  const second = await generations.publish(reindexed.index.dir);
  const committed = performance.now();
  console.log(`one-page edit, publish: ${Math.round(committed - started)} ms (${second?.documents} document, ${second?.passages} passages)`);

  // 3. The reader hears of it and applies the difference.
  while (!applied) await new Promise((resolve) => setTimeout(resolve, 5));
  const patch = applied as { at: number; ms: number };
  const found = reader.lexicalIndex.search(marker, 1)[0];
  console.log(
    `reader: commit -> patched in memory ${Math.round(patch.at - committed)} ms (apply ${patch.ms.toFixed(1)} ms); ` +
      `the edit is searchable: ${found ? reader.passagesByLabel.get(found.label)?.docId === page.id : false}`,
  );
  started = performance.now();
  const diff = await generations.changesSince(heldBefore);
  console.log(`reader: fetching a one-page difference alone: ${since(started)} ms (${diff?.fresh.length} document)`);

  // 4 (database). A process with an empty folder builds its index from the rows.
  const rss1 = process.memoryUsage().rss;
  started = performance.now();
  // At info: the seed logs how its time divides between fetching the rows and building.
  const seeding = await GenerationSync.start({ url: benchUrl.toString(), indexDir: emptyDir, log: createLogger({ level: 'info' }) });
  syncs.push(seeding);
  const seeded = await seeding.seed({ id: embedder.id, dims: embedder.dims }, config.hnsw);
  if (!seeded) throw new Error('nothing to seed from');
  console.log(
    `cold start from PostgreSQL into an empty folder (fetch rows, build graph and BM25, write the folder): ${since(started)} ms; ` +
      `passages ${seeded.manifest.counts.passages}; rss +${mb(process.memoryUsage().rss - rss1)}`,
  );
  started = performance.now();
  const reopened = await openIndex(emptyDir, config.hnsw);
  if (!reopened.ok) throw new Error(reopened.message);
  console.log(`the next start of that process: openIndex ${since(started)} ms`);
} finally {
  for (const sync of syncs) await sync.close();
  await pool.end();
  await embedder.close();
  await fs.rm(work, { recursive: true, force: true });
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}
