// The records contract: the same behaviour from the SQLite file and from PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../src/records/question-log.js';
import type { Records } from '../src/records/records.js';
import { BACKENDS, memoryLogger } from './helpers/store.js';

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

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.each(BACKENDS)('records contract: $name', (backend) => {
  // The reason shows in the test name when the PostgreSQL half is skipped.
  describe.skipIf(backend.skip)(backend.skip || 'on a fresh database', () => {
    async function setup() {
      const log = memoryLogger();
      const t = await backend.create(log);
      cleanups.push(t.cleanup);
      return { ...t, log };
    }

    describe('question log', () => {
      it('logs questions and reads them back by period and guild, with 👎 counts; another connection sees them', async () => {
        const { records, open } = await setup();
        const log = records.questionLog;
        const a = (await log.logQuestion(record()))!;
        const b = (await log.logQuestion(record({ guildId: 'g2', question: 'Who attended?', answered: false, refs: [], scores: [] })))!;
        await log.logQuestion(record({ askedAt: new Date('2024-11-03T10:00:00Z') }));
        expect(a).toBeGreaterThan(0);
        expect(b).toBeGreaterThan(a);
        await log.recordFeedback(a, 'u2', 'down');
        await log.recordFeedback(a, 'u3', 'down');
        await log.recordFeedback(a, 'u3', 'up'); // a user's later vote replaces the earlier one
        const other = await open();
        await other.questionLog.recordFeedback(b, 'u2', 'down');

        const period = [new Date('2024-11-01T00:00:00Z'), new Date('2024-11-02T00:00:00Z')] as const;
        for (const reader of [records, other]) {
          const all = await reader.questionLog.between(...period);
          expect(all).toEqual([
            { id: a, question: 'Where were the troops sent?', answered: true, askedAt: new Date('2024-11-01T10:00:00Z'), downvotes: 1 },
            { id: b, question: 'Who attended?', answered: false, askedAt: new Date('2024-11-01T10:00:00Z'), downvotes: 1 },
          ]);
          expect((await reader.questionLog.between(...period, 'g2')).map((q) => q.id)).toEqual([b]);
        }
        expect(await log.between(new Date('2024-11-02T00:00:00Z'), new Date('2024-11-03T10:00:00Z'))).toEqual([]); // until is exclusive
      });

      it('feedback for an unknown question is logged, not thrown', async () => {
        const { records, log } = await setup();
        await expect(records.questionLog.recordFeedback(99_999, 'u1', 'down')).resolves.toBeUndefined();
        expect(log.lines.join('\n')).toMatch(/feedback not recorded/);
      });

      it('reopening keeps what was logged and does not migrate again', async () => {
        const { records, open } = await setup();
        await records.questionLog.logQuestion(record());
        await records.close();
        const again = await open();
        expect(await again.questionLog.between(new Date(0), new Date('2030-01-01'))).toHaveLength(1);
      });
    });

    describe('subscriptions', () => {
      const at = new Date('2024-11-01T10:00:00Z');

      it('one per guild: subscribe replaces, unsubscribe keeps the row inactive, the env default never overrides', async () => {
        const { records } = await setup();
        const subs = records.subscriptions;
        const first = await subs.subscribe({ guildId: 'g1', channelId: 'c1', time: '09:00', timezone: 'Europe/Berlin', createdBy: 'u1' }, at);
        expect(first).toEqual({ id: first.id, guildId: 'g1', channelId: 'c1', time: '09:00', timezone: 'Europe/Berlin', active: true, origin: 'command', createdBy: 'u1', scheduleFrom: at });
        const later = new Date(at.getTime() + 60_000);
        const second = await subs.subscribe({ guildId: 'g1', channelId: 'c2', time: '18:30', timezone: 'UTC', createdBy: 'u2' }, later);
        expect(second).toMatchObject({ id: first.id, channelId: 'c2', time: '18:30', timezone: 'UTC', active: true, origin: 'command' });
        expect(second.scheduleFrom).toEqual(later);

        expect(await subs.unsubscribe('g1', later)).toBe(true);
        expect(await subs.unsubscribe('g1', later)).toBe(false);
        expect(await subs.active()).toEqual([]);
        expect(await subs.ensureDefault({ guildId: 'g1', channelId: 'c9', time: '07:00', timezone: 'UTC' }, later)).toMatchObject({ channelId: 'c2', active: false });

        expect(await subs.ensureDefault({ guildId: 'g2', channelId: 'c9', time: '07:00', timezone: 'UTC' }, later)).toMatchObject({ origin: 'env', active: true, createdBy: null });
        expect((await subs.active()).map((s) => s.guildId)).toEqual(['g2']);
        expect(await subs.forGuild('g3')).toBeNull();
      });
    });

    describe('digest runs', () => {
      const day = 24 * 3600_000;
      const created = new Date('2024-11-01T10:00:00Z');
      const subscribe = (records: Records) => records.subscriptions.subscribe({ guildId: 'g1', channelId: 'c1', time: '09:00', timezone: 'UTC', createdBy: 'u1' }, created);

      it('a (subscription, date) is claimed once, across connections; periods chain from the last delivered run', async () => {
        const { records, open } = await setup();
        const other = await open();
        const runs = records.digestRuns;
        const sub = await subscribe(records);
        const slot1 = { localDate: '2024-11-02', scheduledFor: new Date('2024-11-02T09:00:00Z'), late: false };
        expect(await runs.exists(sub.id, slot1.localDate)).toBe(false);
        const run1 = (await runs.claim(sub, slot1, slot1.scheduledFor))!;
        expect(run1).toEqual({
          id: run1.id,
          subscriptionId: sub.id,
          channelId: 'c1',
          localDate: '2024-11-02',
          scheduledFor: slot1.scheduledFor,
          late: false,
          periodStart: new Date(created.getTime() - day),
          periodEnd: slot1.scheduledFor,
          state: 'claimed',
          error: null,
        });
        expect(await other.digestRuns.exists(sub.id, slot1.localDate)).toBe(true);
        expect(await other.digestRuns.claim(sub, slot1, slot1.scheduledFor)).toBeNull();
        expect(await runs.claim(sub, slot1, new Date(slot1.scheduledFor.getTime() + 5000))).toBeNull();
        expect(await runs.lastCovered(sub.id)).toBeNull(); // claimed is not delivered

        // A failed run is not "delivered": the next period starts where the last posted one ended.
        await runs.finish(run1.id, 'posted', slot1.scheduledFor);
        const slot2 = { localDate: '2024-11-03', scheduledFor: new Date('2024-11-03T09:00:00Z'), late: true };
        const run2 = (await runs.claim(sub, slot2, slot2.scheduledFor))!;
        expect(run2.late).toBe(true);
        await runs.finish(run2.id, 'failed', slot2.scheduledFor, 'Missing Access');
        const slot3 = { localDate: '2024-11-04', scheduledFor: new Date('2024-11-04T09:00:00Z'), late: false };
        const run3 = (await runs.claim(sub, slot3, slot3.scheduledFor))!;
        expect(run3.periodStart).toEqual(slot1.scheduledFor);
        expect(await runs.lastCovered(sub.id)).toEqual(slot1.scheduledFor);
        expect(await other.digestRuns.lastCovered()).toEqual(slot1.scheduledFor);

        const notices = await other.digestRuns.takeFailureNotices(sub.id, slot3.scheduledFor);
        expect(notices.map((n) => [n.localDate, n.error, n.state])).toEqual([['2024-11-03', 'Missing Access', 'failed']]);
        expect(await runs.takeFailureNotices(sub.id, slot3.scheduledFor)).toEqual([]);
      });

      it('of many claims racing for the same day on separate connections, exactly one wins', async () => {
        const { records, open } = await setup();
        const sub = await subscribe(records);
        const connections = [records, ...(await Promise.all([1, 2, 3, 4, 5].map(() => open())))];
        const slot = { localDate: '2024-11-02', scheduledFor: new Date('2024-11-02T09:00:00Z'), late: false };
        const claims = await Promise.all(connections.flatMap((c) => [c.digestRuns.claim(sub, slot, slot.scheduledFor), c.digestRuns.claim(sub, slot, slot.scheduledFor)]));
        expect(claims.filter((c) => c !== null)).toHaveLength(1);
      });

      it('a claim abandoned past its deadline is marked failed once, reported once, and not covered', async () => {
        const { records, open } = await setup();
        const other = await open();
        const sub = await subscribe(records);
        const slot = { localDate: '2024-11-02', scheduledFor: new Date('2024-11-02T09:00:00Z'), late: false };
        const run = (await records.digestRuns.claim(sub, slot, slot.scheduledFor))!;
        expect(await records.digestRuns.expireClaims(slot.scheduledFor, slot.scheduledFor, 'stopped')).toBe(0); // not yet past
        const after = new Date(slot.scheduledFor.getTime() + 1);
        const expired = await Promise.all([records.digestRuns.expireClaims(after, after, 'stopped'), other.digestRuns.expireClaims(after, after, 'stopped')]);
        expect(expired.sort()).toEqual([0, 1]);
        expect(await records.digestRuns.lastCovered(sub.id)).toBeNull();
        const told = await Promise.all([records.digestRuns.takeFailureNotices(sub.id, after), other.digestRuns.takeFailureNotices(sub.id, after)]);
        expect(told.flat().map((r) => [r.id, r.error])).toEqual([[run.id, 'stopped']]);
      });
    });

    describe('document versions', () => {
      it('reports documents new or changed in a period from the recorded index builds', async () => {
        const { records } = await setup();
        const t1 = new Date('2024-11-01T00:00:00Z');
        const t2 = new Date('2024-11-02T00:00:00Z');
        expect(await records.recordIndexedDocuments([{ id: 'a', hash: 'a1' }, { id: 'b', hash: 'b1' }], t1)).toBe(true);
        await records.recordIndexedDocuments([{ id: 'a', hash: 'a1' }, { id: 'b', hash: 'b2' }, { id: 'c', hash: 'c1' }, { id: 'B', hash: 'B1' }], t2);
        expect(await records.recordIndexedDocuments([], t2)).toBe(true);
        const changes = await records.documentVersions.changesBetween(new Date(t2.getTime() - 1000), new Date('2024-11-03T00:00:00Z'));
        expect(changes).toEqual([
          { docId: 'B', kind: 'new', at: t2 }, // ties in code-point order, whatever the database's collation
          { docId: 'b', kind: 'changed', at: t2 },
          { docId: 'c', kind: 'new', at: t2 },
        ]);
        expect((await records.documentVersions.changesBetween(t1, t2)).map((c) => [c.docId, c.kind])).toEqual([
          ['a', 'new'],
          ['b', 'new'],
        ]);
      });
    });
  });
});
