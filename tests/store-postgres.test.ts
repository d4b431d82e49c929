// What only PostgreSQL does: migrations shared by processes starting together, an unreachable or
// newer database, a question log that does not wait long for a busy server. The shared behaviour
// is in store-contract.test.ts.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/records/postgres/migrations.js';
import { openPostgresRecords, type PostgresRecords } from '../src/records/postgres/open.js';
import { LOG_WAIT_MS } from '../src/records/postgres/questions.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, memoryLogger, tempPostgresDatabase } from './helpers/store.js';

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database() {
  const db = await tempPostgresDatabase();
  cleanups.push(db.cleanup);
  return db;
}

async function open(url: string, log = memoryLogger()): Promise<PostgresRecords> {
  const records = await openPostgresRecords({ url, log });
  cleanups.push(() => records.close().catch(() => undefined));
  return records;
}

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'PostgreSQL records' : `PostgreSQL records (${POSTGRES_SKIPPED})`, () => {
  it('eight processes starting together on an empty database: every one opens it, the schema is migrated once', async () => {
    const { url } = await database();
    const all = await Promise.all(Array.from({ length: 8 }, () => open(url)));
    expect(all).toHaveLength(8);
    const { rows } = await all[0]!.pool.query<{ version: number }>('SELECT version FROM archivist_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    // And each is usable at once.
    const ids = await Promise.all(all.map((r, i) => r.questionLog.logQuestion({ guildId: 'g', channelId: 'c', userId: `u${i}`, question: 'q?', answered: true, refs: [], scores: [], latencyMs: 1, askedAt: new Date() })));
    expect(new Set(ids).size).toBe(8);
  });

  it('refuses a database migrated by a newer archivist, saying so', async () => {
    const { url } = await database();
    const first = await open(url);
    await first.pool.query('INSERT INTO archivist_migrations (version) VALUES ($1)', [SCHEMA_VERSION + 1]);
    await expect(openPostgresRecords({ url, log: memoryLogger() })).rejects.toThrow(/schema version \d+, newer than this archivist's/);
  });

  it('an unreachable server is a short message naming the database, without its password', async () => {
    const url = 'postgres://archivist:s3cret-pw@127.0.0.1:1/records';
    const error = await openPostgresRecords({ url, log: memoryLogger() }).then(
      () => new Error('opened an unreachable database'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/^could not open the records in PostgreSQL at postgres:\/\/archivist:\*\*\*@127\.0\.0\.1:1\/records: /);
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('a table locked by another session: the question is dropped and logged after the wait, not held; logging resumes', async () => {
    const { url } = await database();
    const log = memoryLogger();
    const records = await open(url, log);
    const question = { guildId: 'g', channelId: 'c', userId: 'u', question: 'q?', answered: true, refs: [], scores: [], latencyMs: 1, askedAt: new Date() };
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    cleanups.push(() => locker.end());
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE questions IN ACCESS EXCLUSIVE MODE');
    expect(await records.questionLog.logQuestion(question)).toBeNull();
    expect(log.lines.join('\n')).toMatch(new RegExp(`question not logged.*did not answer within ${LOG_WAIT_MS} ms`));
    await locker.query('COMMIT');
    expect(await records.questionLog.logQuestion(question)).toBeGreaterThan(0);
  });
});
