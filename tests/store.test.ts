import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/store/migrations.js';
import type { QuestionRecord } from '../src/store/question-log.js';
import { BUSY_TIMEOUT_MS, openStore } from '../src/store/store.js';
import { memoryLogger, tempStore } from './helpers/store.js';

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
  const t = tempStore(log);
  cleanups.push(t.cleanup);
  return { ...t, log };
}

describe('store: schema', () => {
  it('creates the file in the data folder, in WAL mode, at the current schema version, and reopens idempotently', () => {
    const { store, open, file } = setup();
    expect(store.db.name).toBe(file);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    store.questionLog.logQuestion(record());
    const again = open();
    expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.questionLog.between(new Date(0), new Date('2030-01-01'))).toHaveLength(1);
  });

  it('refuses a database written by a newer version', () => {
    const { store, dir } = setup();
    store.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    store.close();
    expect(() => openStore({ dataDir: dir, log: memoryLogger() })).toThrow(/newer/);
  });
});

describe('store: question log', () => {
  it('logs questions and reads them back by period and guild, with 👎 counts', () => {
    const { store } = setup();
    const log = store.questionLog;
    const a = log.logQuestion(record())!;
    const b = log.logQuestion(record({ guildId: 'g2', question: 'Who attended?', answered: false, refs: [], scores: [] }))!;
    log.logQuestion(record({ askedAt: new Date('2024-11-03T10:00:00Z') }));
    expect(a).toBeGreaterThan(0);
    log.recordFeedback(a, 'u2', 'down');
    log.recordFeedback(a, 'u3', 'down');
    log.recordFeedback(a, 'u3', 'up'); // a user's later vote replaces the earlier one
    log.recordFeedback(b, 'u2', 'down');

    const period = [new Date('2024-11-01T00:00:00Z'), new Date('2024-11-02T00:00:00Z')] as const;
    const all = log.between(...period);
    expect(all.map((q) => [q.id, q.downvotes, q.answered])).toEqual([
      [a, 1, true],
      [b, 1, false],
    ]);
    expect(store.db.prepare('SELECT user_id, refs, scores, latency_ms FROM questions WHERE id = ?').get(a)).toEqual({
      user_id: 'u1',
      refs: '["doc-a:3","doc-b:1"]',
      scores: '[0.81,0.64]',
      latency_ms: 42,
    });
    expect(log.between(...period, 'g2').map((q) => q.id)).toEqual([b]);
  });

  it('feedback for an unknown question is logged, not thrown', () => {
    const { store, log } = setup();
    expect(() => store.questionLog.recordFeedback(99_999, 'u1', 'down')).not.toThrow();
    expect(log.lines.join('\n')).toMatch(/feedback not recorded/);
  });

  it('an insert costs well under a millisecond', () => {
    const { store } = setup();
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const started = process.hrtime.bigint();
      store.questionLog.logQuestion(record({ question: `Question number ${i}?` }));
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((x, y) => x - y);
    const mean = times.reduce((s, t) => s + t, 0) / times.length;
    const p99 = times[Math.floor(times.length * 0.99)]!;
    console.log(`logQuestion: mean ${(mean * 1000).toFixed(0)} µs, p99 ${(p99 * 1000).toFixed(0)} µs over ${times.length} inserts`);
    expect(mean).toBeLessThan(1);
  });

  it('a locked database costs at most the busy timeout, is logged, and logging resumes after', () => {
    const { store, file, log } = setup();
    const other = new Database(file);
    cleanups.push(() => other.close());
    other.exec('BEGIN EXCLUSIVE');
    const started = performance.now();
    expect(store.questionLog.logQuestion(record())).toBeNull();
    const waited = performance.now() - started;
    expect(() => store.questionLog.recordFeedback(1, 'u1', 'up')).not.toThrow();
    console.log(`logQuestion on a locked database: gave up after ${waited.toFixed(0)} ms (busy timeout ${BUSY_TIMEOUT_MS} ms)`);
    expect(waited).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS * 0.8);
    expect(waited).toBeLessThan(BUSY_TIMEOUT_MS + 150);
    expect(log.lines.join('\n')).toMatch(/question not logged.*SQLITE_BUSY/);
    other.exec('COMMIT');
    expect(store.questionLog.logQuestion(record())).toBeGreaterThan(0);
  });

  it('a full database is logged and does not throw', () => {
    const { store, log } = setup();
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    expect(store.questionLog.logQuestion(record({ question: 'x'.repeat(20_000) }))).toBeNull();
    expect(log.lines.join('\n')).toMatch(/question not logged.*SQLITE_FULL/);
  });
});

describe('store: subscriptions', () => {
  const at = new Date('2024-11-01T10:00:00Z');

  it('one per guild: subscribe replaces, unsubscribe keeps the row inactive, the env default never overrides', () => {
    const { store } = setup();
    const subs = store.subscriptions;
    const first = subs.subscribe({ guildId: 'g1', channelId: 'c1', time: '09:00', timezone: 'Europe/Berlin', createdBy: 'u1' }, at);
    const later = new Date(at.getTime() + 60_000);
    const second = subs.subscribe({ guildId: 'g1', channelId: 'c2', time: '18:30', timezone: 'UTC', createdBy: 'u2' }, later);
    expect(second).toMatchObject({ id: first.id, channelId: 'c2', time: '18:30', timezone: 'UTC', active: true, origin: 'command' });
    expect(second.scheduleFrom).toEqual(later);

    expect(subs.unsubscribe('g1', later)).toBe(true);
    expect(subs.unsubscribe('g1', later)).toBe(false);
    expect(subs.active()).toEqual([]);
    expect(subs.ensureDefault({ guildId: 'g1', channelId: 'c9', time: '07:00', timezone: 'UTC' }, later)).toMatchObject({ channelId: 'c2', active: false });

    expect(subs.ensureDefault({ guildId: 'g2', channelId: 'c9', time: '07:00', timezone: 'UTC' }, later)).toMatchObject({ origin: 'env', active: true });
    expect(subs.active().map((s) => s.guildId)).toEqual(['g2']);
  });
});

describe('store: digest runs', () => {
  const day = 24 * 3600_000;
  const created = new Date('2024-11-01T10:00:00Z');

  it('a (subscription, date) is claimed once, across connections; periods chain from the last delivered run', () => {
    const { store, open } = setup();
    const other = open();
    const sub = store.subscriptions.subscribe({ guildId: 'g1', channelId: 'c1', time: '09:00', timezone: 'UTC', createdBy: 'u1' }, created);
    const slot1 = { localDate: '2024-11-02', scheduledFor: new Date('2024-11-02T09:00:00Z'), late: false };
    const run1 = store.digestRuns.claim(sub, slot1, slot1.scheduledFor)!;
    expect(run1).toMatchObject({ state: 'claimed', localDate: '2024-11-02', channelId: 'c1' });
    expect(run1.periodStart).toEqual(new Date(created.getTime() - day));
    expect(run1.periodEnd).toEqual(slot1.scheduledFor);
    expect(other.digestRuns.claim(sub, slot1, slot1.scheduledFor)).toBeNull();
    expect(store.digestRuns.claim(sub, slot1, new Date(slot1.scheduledFor.getTime() + 5000))).toBeNull();

    // A failed run is not "delivered": the next period starts where the last posted one ended.
    store.digestRuns.finish(run1.id, 'posted', slot1.scheduledFor);
    const slot2 = { localDate: '2024-11-03', scheduledFor: new Date('2024-11-03T09:00:00Z'), late: false };
    const run2 = store.digestRuns.claim(sub, slot2, slot2.scheduledFor)!;
    store.digestRuns.finish(run2.id, 'failed', slot2.scheduledFor, 'Missing Access');
    const slot3 = { localDate: '2024-11-04', scheduledFor: new Date('2024-11-04T09:00:00Z'), late: false };
    const run3 = store.digestRuns.claim(sub, slot3, slot3.scheduledFor)!;
    expect(run3.periodStart).toEqual(slot1.scheduledFor);
    expect(store.digestRuns.lastCovered(sub.id)).toEqual(slot1.scheduledFor);

    const notices = store.digestRuns.takeFailureNotices(sub.id, slot3.scheduledFor);
    expect(notices.map((n) => [n.localDate, n.error])).toEqual([['2024-11-03', 'Missing Access']]);
    expect(store.digestRuns.takeFailureNotices(sub.id, slot3.scheduledFor)).toEqual([]);
  });
});

describe('store: document versions', () => {
  it('reports documents new or changed in a period from the recorded index builds', () => {
    const { store } = setup();
    const t1 = new Date('2024-11-01T00:00:00Z');
    const t2 = new Date('2024-11-02T00:00:00Z');
    expect(store.recordIndexedDocuments([{ id: 'a', hash: 'a1' }, { id: 'b', hash: 'b1' }], t1)).toBe(true);
    store.recordIndexedDocuments([{ id: 'a', hash: 'a1' }, { id: 'b', hash: 'b2' }, { id: 'c', hash: 'c1' }], t2);
    const changes = store.documentVersions.changesBetween(new Date(t2.getTime() - 1000), new Date('2024-11-03T00:00:00Z'));
    expect(changes.map((c) => [c.docId, c.kind])).toEqual([
      ['b', 'changed'],
      ['c', 'new'],
    ]);
    expect(store.documentVersions.changesBetween(t1, t2).map((c) => [c.docId, c.kind])).toEqual([
      ['a', 'new'],
      ['b', 'new'],
    ]);
  });

  it('a locked database does not fail the index build that records into it', () => {
    const { store, file, log } = setup();
    const other = new Database(file);
    cleanups.push(() => other.close());
    other.exec('BEGIN EXCLUSIVE');
    expect(store.recordIndexedDocuments([{ id: 'a', hash: 'a1' }], new Date())).toBe(false);
    other.exec('COMMIT');
    expect(log.lines.join('\n')).toMatch(/not recorded/);
  });
});
