// `npx tsx bench/pg-library.ts --postgres URL --index DIR`: what a process's cold start costs
// when its library comes from PostgreSQL rather than from its own index folder. Publishes the
// folder's live generation to a fresh database beside the one URL names (dropped after), then
// times: opening the folder's generation; copying it into an empty folder from the database
// (GenerationSync.start) and opening that. The figures in the README came from the full Python docs' index.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresGenerations } from '../src/index/pg-generations.js';
import { GenerationSync } from '../src/index/pg-sync.js';
import { currentGeneration, openIndex } from '../src/index/store.js';
import { createLogger } from '../src/log.js';
import { migrate } from '../src/records/postgres/migrations.js';

const { values } = parseArgs({ options: { postgres: { type: 'string' }, index: { type: 'string' } } });
const url = values.postgres ?? process.env.DATABASE_URL;
if (!url) throw new Error('give --postgres URL (or DATABASE_URL)');
if (!values.index) throw new Error('give --index DIR: the index folder whose live generation to publish');
const indexDir = values.index;
const log = createLogger({ level: 'error' });
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (started: number) => `${(performance.now() - started).toFixed(0)} ms`;

const name = `archivist_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const benchUrl = new URL(url);
benchUrl.pathname = `/${name}`;
const copyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-bench-pg-library-'));
try {
  const generation = (await currentGeneration(indexDir))!;
  const files = await fs.readdir(path.join(indexDir, generation));
  let bytes = 0;
  for (const file of files) bytes += (await fs.stat(path.join(indexDir, generation, file))).size;
  console.log(`generation ${generation}: ${files.length} files, ${mb(bytes)}`);

  const pool = new pg.Pool({ connectionString: benchUrl.toString(), max: 2 });
  await migrate(pool);
  let started = performance.now();
  await new PostgresGenerations(pool).publish(path.join(indexDir, generation));
  console.log(`publish (one transaction): ${ms(started)}`);
  const size = await pool.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  console.log(`database size after publishing: ${size.rows[0]!.size}`);
  await pool.end();

  const rss0 = process.memoryUsage().rss;
  started = performance.now();
  const fromFiles = await openIndex(indexDir, { ef: 64 });
  if (!fromFiles.ok) throw new Error(fromFiles.message);
  console.log(`cold start from the folder: openIndex ${ms(started)} (rss +${mb(process.memoryUsage().rss - rss0)})`);

  started = performance.now();
  const sync = await GenerationSync.start({ url: benchUrl.toString(), indexDir: copyDir, log });
  const copied = performance.now() - started;
  started = performance.now();
  const fromDb = await openIndex(copyDir, { ef: 64 });
  if (!fromDb.ok) throw new Error(fromDb.message);
  console.log(`cold start from PostgreSQL: copy in ${copied.toFixed(0)} ms + openIndex ${ms(started)}; passages ${fromDb.index.manifest.counts.passages} (folder: ${fromFiles.index.manifest.counts.passages})`);
  await sync.close();
} finally {
  await fs.rm(copyDir, { recursive: true, force: true });
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}
