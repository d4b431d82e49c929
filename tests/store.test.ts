// What only the SQLite file does; the shared behaviour is in store-contract.test.ts.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../src/records/question-log.js';
import { SCHEMA_VERSION } from '../src/records/sqlite/migrations.js';
import { BUSY_TIMEOUT_MS, openSqliteRecords } from '../src/records/sqlite/open.js';
import { memoryLogger, tempSqliteRecords } from './helpers/store.js';

const record = (overrides: Partial<QuestionRecord> = {}): QuestionRecord => ({
  guildId: 'g1',
  channelId: 'c1',
  userId: 'u1',
  question: 'Where were the troops sent?',
  answered: true,
  refs: ['doc-a:3', 'doc-b:1'],
  scores: [0.81, 0.64],
  latencyMs: 42.4,
  askedAt: new Date('2024-11-01T10:00:00Z'),
  ...overrides,
});

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});
function setup() {
  const log = memoryLogger();
  const t = tempSqliteRecords(log);
  cleanups.push(t.cleanup);
  return { ...t, log };
}

describe('SQLite records: schema', () => {
  it('creates the file in the data folder, in WAL mode, at the current schema version, and reopens idempotently', async () => {
    const { records, open, file } = setup();
    expect(records.db.name).toBe(file);
    expect(records.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(records.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    await records.questionLog.logQuestion(record());
    const again = open();
    expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(await again.questionLog.between(new Date(0), new Date('2030-01-01'))).toHaveLength(1);
  });

  it('refuses a database written by a newer version', async () => {
    const { records, dir } = setup();
    records.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    await records.close();
    expect(() => openSqliteRecords({ dataDir: dir, log: memoryLogger() })).toThrow(/newer/);
  });
});

describe('SQLite records: question log', () => {
  it('stores refs and scores as JSON and the latency in whole milliseconds', async () => {
    const { records } = setup();
    const a = (await records.questionLog.logQuestion(record()))!;
    expect(records.db.prepare('SELECT user_id, refs, scores, latency_ms FROM questions WHERE id = ?').get(a)).toEqual({
      user_id: 'u1',
      refs: '["doc-a:3","doc-b:1"]',
      scores: '[0.81,0.64]',
      latency_ms: 42,
    });
  });

  it('a locked database waits at most about the busy timeout, is logged, and logging resumes after', async () => {
    const { records, file, log } = setup();
    const other = new Database(file);
    cleanups.push(() => other.close());
    other.exec('BEGIN EXCLUSIVE');
    const started = performance.now();
    expect(await records.questionLog.logQuestion(record())).toBeNull();
    const waited = performance.now() - started;
    await expect(records.questionLog.recordFeedback(1, 'u1', 'up')).resolves.toBeUndefined();
    console.log(`logQuestion on a locked database: gave up after ${waited.toFixed(0)} ms (busy timeout ${BUSY_TIMEOUT_MS} ms)`);
    // A lower bound only: SQLite did wait for the lock rather than fail at once.
    expect(waited).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS * 0.8);
    expect(log.lines.join('\n')).toMatch(/question not logged.*SQLITE_BUSY/);
    other.exec('COMMIT');
    expect(await records.questionLog.logQuestion(record())).toBeGreaterThan(0);
  });

  it('a full database is logged and does not throw', async () => {
    const { records, log } = setup();
    const pages = records.db.pragma('page_count', { simple: true }) as number;
    records.db.pragma(`max_page_count = ${pages}`);
    expect(await records.questionLog.logQuestion(record({ question: 'x'.repeat(20_000) }))).toBeNull();
    expect(log.lines.join('\n')).toMatch(/question not logged.*SQLITE_FULL/);
  });
});

describe('SQLite records: document versions', () => {
  it('a locked database does not fail the index build that records into it', async () => {
    const { records, file, log } = setup();
    const other = new Database(file);
    cleanups.push(() => other.close());
    other.exec('BEGIN EXCLUSIVE');
    expect(await records.recordIndexedDocuments([{ id: 'a', hash: 'a1' }], new Date())).toBe(false);
    other.exec('COMMIT');
    expect(log.lines.join('\n')).toMatch(/not recorded/);
  });
});
