// `npx tsx bench/records.ts [--postgres URL]`: what one process's records cost, per operation, in
// the SQLite file and (given a URL, or DATABASE_URL) in PostgreSQL. Prints p50/p99 milliseconds.
// The PostgreSQL figures are taken in a fresh database created beside the one the URL names, and dropped after.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createLogger } from '../src/log.js';
import { openPostgresRecords } from '../src/records/postgres/open.js';
import type { Records } from '../src/records/records.js';
import { openSqliteRecords } from '../src/records/sqlite/open.js';
import { percentile } from './measure.js';

const QUESTIONS = 2000;
const DAY = 86_400_000;
const START = Date.parse('2024-11-01T00:00:00Z');
const log = createLogger({ level: 'error' });

async function timed(times: number, once: (i: number) => Promise<unknown>): Promise<string> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await once(i);
    ms.push(performance.now() - started);
  }
  return `${percentile(ms, 50).toFixed(3)} / ${percentile(ms, 99).toFixed(3)}`;
}

async function measure(records: Records): Promise<Record<string, string>> {
  const question = (i: number) => ({
    guildId: `g${i % 3}`,
    channelId: 'c1',
    userId: `u${i % 50}`,
    question: `How do I configure logging handler number ${i}?`,
    answered: i % 4 !== 0,
    refs: ['logging.html:3', 'logging.handlers.html:7'],
    scores: [0.71, 0.52],
    latencyMs: 40,
    // Spread over ten days: a day's digest reads about a tenth of them.
    askedAt: new Date(START + (i * 10 * DAY) / QUESTIONS),
  });
  const ids: number[] = [];
  const figures: Record<string, string> = {};
  figures[`logQuestion (x${QUESTIONS})`] = await timed(QUESTIONS, async (i) => ids.push((await records.questionLog.logQuestion(question(i)))!));
  figures['recordFeedback (x500)'] = await timed(500, (i) => records.questionLog.recordFeedback(ids[i * 3]!, `v${i % 7}`, i % 2 ? 'up' : 'down'));
  figures['between, one day, one guild (x50)'] = await timed(50, (i) => records.questionLog.between(new Date(START + (i % 10) * DAY), new Date(START + ((i % 10) + 1) * DAY), 'g1'));
  const subscriptions = await Promise.all([0, 1, 2].map((g) => records.subscriptions.subscribe({ guildId: `g${g}`, channelId: 'c1', time: '09:00', timezone: 'UTC', createdBy: 'u' }, new Date(START))));
  figures['subscriptions.active (x500)'] = await timed(500, () => records.subscriptions.active());
  figures['digest run: exists + claim + finish (x300)'] = await timed(300, async (i) => {
    const subscription = subscriptions[i % 3]!;
    const day = new Date(START + (Math.floor(i / 3) + 1) * DAY);
    const localDate = day.toISOString().slice(0, 10);
    await records.digestRuns.exists(subscription.id, localDate);
    const run = await records.digestRuns.claim(subscription, { localDate, scheduledFor: day, late: false }, day);
    await records.digestRuns.finish(run!.id, 'posted', day);
  });
  const docs = Array.from({ length: 500 }, (_, i) => ({ id: `library/doc-${i}.html`, hash: randomBytes(8).toString('hex') }));
  figures['recordIndexedDocuments, 500 docs (x20)'] = await timed(20, (i) => records.recordIndexedDocuments(i % 2 ? docs : docs.map((d) => ({ ...d, hash: `${d.hash}${i}` })), new Date(START + i * DAY)));
  return figures;
}

const { values } = parseArgs({ options: { postgres: { type: 'string' } } });
const url = values.postgres ?? process.env.DATABASE_URL;
const results: Record<string, Record<string, string>> = {};

const dir = mkdtempSync(path.join(tmpdir(), 'archivist-bench-records-'));
const sqlite = openSqliteRecords({ dataDir: dir, log });
try {
  results.SQLite = await measure(sqlite);
} finally {
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}

if (url) {
  const name = `archivist_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${name}`;
  try {
    const postgres = await openPostgresRecords({ url: benchUrl.toString(), log });
    try {
      results.PostgreSQL = await measure(postgres);
    } finally {
      await postgres.close();
    }
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const backends = Object.keys(results);
console.log(`| operation (p50 / p99 ms) | ${backends.join(' | ')} |`);
console.log(`|---|${backends.map(() => '---').join('|')}|`);
for (const operation of Object.keys(results.SQLite!)) console.log(`| ${operation} | ${backends.map((b) => results[b]![operation]).join(' | ')} |`);
