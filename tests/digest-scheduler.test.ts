import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DigestMessage } from '../src/digest/render-discord.js';
import { DigestScheduler } from '../src/digest/scheduler.js';
import type { DigestRun } from '../src/records/digest-runs.js';
import type { Records } from '../src/records/records.js';
import { BACKENDS, memoryLogger, type RecordsBackend } from './helpers/store.js';

interface Posted {
  channelId: string;
  at: string;
  localDate: string;
  late: boolean;
}

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A store, a clock the test moves, and schedulers that record what they post instead of sending it. */
async function harness(backend: RecordsBackend) {
  const t = await backend.create();
  cleanups.push(t.cleanup);
  const clock = { now: new Date(0) };
  const posted: Posted[] = [];
  const runs: DigestRun[] = [];
  const scheduler = (records: Records = t.records, post?: (channelId: string, message: DigestMessage) => Promise<void>) => {
    const s = new DigestScheduler({
      records,
      log: memoryLogger(),
      now: () => clock.now,
      compose: async (run) => {
        runs.push(run);
        return { content: run.localDate, embeds: [], allowedMentions: { parse: [] } };
      },
      post:
        post ??
        (async (channelId, message) => {
          const run = runs.find((r) => r.localDate === message.content)!;
          posted.push({ channelId, at: clock.now.toISOString(), localDate: run.localDate, late: run.late });
        }),
    });
    cleanups.push(() => s.stop());
    return s;
  };
  const subscribe = (time: string, timezone: string, at: string) =>
    t.records.subscriptions.subscribe({ guildId: 'g1', channelId: 'c1', time, timezone, createdBy: 'u1' }, new Date(at));
  /** Moves the clock from `from` to `to` in steps, running the scheduler at each. */
  const walk = async (s: DigestScheduler, from: string, to: string, stepMinutes = 10) => {
    for (let t = Date.parse(from); t <= Date.parse(to); t += stepMinutes * 60_000) {
      clock.now = new Date(t);
      await s.runDue();
    }
  };
  return { ...t, clock, posted, runs, scheduler, subscribe, walk };
}

describe.each(BACKENDS)('$name', (backend) => {
  describe.skipIf(backend.skip)(backend.skip || 'records in this database', () => {
    // The time arithmetic is the scheduler's own: it runs on the first backend only (a walk is
    // hundreds of runs), and fake timers could not drive a network round trip anyway.
    describe.runIf(backend === BACKENDS[0])('digest scheduler: once per local day', () => {
      it('09:00 Europe/Berlin across the March DST change: one post a day, at 09:00 local before and after', async () => {
        const h = await harness(backend);
        await h.subscribe('09:00', 'Europe/Berlin', '2024-03-28T12:00:00Z');
        await h.walk(h.scheduler(), '2024-03-28T12:00:00Z', '2024-04-02T12:00:00Z');
        expect(h.posted.map((p) => [p.localDate, p.at])).toEqual([
          ['2024-03-29', '2024-03-29T08:00:00.000Z'],
          ['2024-03-30', '2024-03-30T08:00:00.000Z'],
          ['2024-03-31', '2024-03-31T07:00:00.000Z'], // CEST from 02:00 that morning
          ['2024-04-01', '2024-04-01T07:00:00.000Z'],
          ['2024-04-02', '2024-04-02T07:00:00.000Z'],
        ]);
        expect(h.posted.every((p) => !p.late)).toBe(true);
      });

      it('02:30 Europe/Berlin: posted once on the day 02:30 does not exist and once on the day it happens twice', async () => {
        const h = await harness(backend);
        await h.subscribe('02:30', 'Europe/Berlin', '2024-03-29T12:00:00Z');
        const s = h.scheduler();
        await h.walk(s, '2024-03-29T12:00:00Z', '2024-04-01T12:00:00Z', 5);
        await h.walk(s, '2024-10-25T12:00:00Z', '2024-10-28T12:00:00Z', 5);
        expect(h.posted.map((p) => [p.localDate, p.at, p.late])).toEqual([
          ['2024-03-30', '2024-03-30T01:30:00.000Z', false],
          ['2024-03-31', '2024-03-31T01:00:00.000Z', false], // 02:30 is skipped: the first time after the gap
          ['2024-04-01', '2024-04-01T00:30:00.000Z', false],
          // The October weeks were "downtime" for this test: one late catch-up, then daily again.
          ['2024-10-25', '2024-10-25T12:00:00.000Z', true],
          ['2024-10-26', '2024-10-26T00:30:00.000Z', false],
          ['2024-10-27', '2024-10-27T00:30:00.000Z', false], // the first 02:30 (CEST); the second (CET) is not a second post
          ['2024-10-28', '2024-10-28T01:30:00.000Z', false],
        ]);
      });

      it('09:00 Europe/Berlin across the October DST change', async () => {
        const h = await harness(backend);
        await h.subscribe('09:00', 'Europe/Berlin', '2024-10-25T12:00:00Z');
        await h.walk(h.scheduler(), '2024-10-25T12:00:00Z', '2024-10-29T12:00:00Z');
        expect(h.posted.map((p) => p.at)).toEqual([
          '2024-10-26T07:00:00.000Z',
          '2024-10-27T08:00:00.000Z',
          '2024-10-28T08:00:00.000Z',
          '2024-10-29T08:00:00.000Z',
        ]);
      });

      it('a subscription made after today\'s time starts tomorrow; an ended one stops', async () => {
        const h = await harness(backend);
        await h.subscribe('09:00', 'UTC', '2024-11-01T10:00:00Z');
        const s = h.scheduler();
        await h.walk(s, '2024-11-01T10:00:00Z', '2024-11-02T10:00:00Z');
        await h.records.subscriptions.unsubscribe('g1', h.clock.now);
        await h.walk(s, '2024-11-02T10:00:00Z', '2024-11-04T10:00:00Z');
        expect(h.posted.map((p) => p.localDate)).toEqual(['2024-11-02']);
      });
    });

    describe.runIf(backend === BACKENDS[0])('digest scheduler: croner timing', () => {
      it('after start(), croner wakes it at the subscription time (fake timers drive Date and setTimeout)', async () => {
        vi.useFakeTimers({ now: new Date('2024-10-26T23:58:30Z') });
        cleanups.push(() => vi.useRealTimers());
        const h = await harness(backend);
        await h.subscribe('02:00', 'Europe/Berlin', '2024-10-26T20:00:00Z');
        const s = h.scheduler();
        Object.defineProperty(h.clock, 'now', { get: () => new Date() });
        expect((await s.start()).map((o) => o.result)).toEqual(['not-due']);
        await vi.advanceTimersByTimeAsync(60_000);
        expect(h.posted).toEqual([]);
        await vi.advanceTimersByTimeAsync(60_000); // 02:00 CEST on the night the clocks go back
        expect(h.posted.map((p) => [p.localDate, p.at])).toEqual([['2024-10-27', '2024-10-27T00:00:00.000Z']]);
        await vi.advanceTimersByTimeAsync(3 * 3600_000); // 02:00 again, now CET: not a second digest
        expect(h.posted).toHaveLength(1);
      });
    });

    describe('digest scheduler: restarts and downtime', () => {
      it('a restart in the middle of the day does not post again', async () => {
        const h = await harness(backend);
        await h.subscribe('09:00', 'UTC', '2024-11-01T08:00:00Z');
        await h.walk(h.scheduler(), '2024-11-01T08:00:00Z', '2024-11-01T10:00:00Z');
        expect(h.posted).toHaveLength(1);

        // The process restarts: a new connection to the file, a new scheduler, start() catches up.
        h.clock.now = new Date('2024-11-01T13:00:00Z');
        const restarted = h.scheduler(await h.open());
        expect((await restarted.start()).map((o) => o.result)).toEqual(['already-claimed']);
        await h.walk(restarted, '2024-11-01T13:00:00Z', '2024-11-02T09:30:00Z');
        expect(h.posted.map((p) => [p.localDate, p.late])).toEqual([
          ['2024-11-01', false],
          ['2024-11-02', false],
        ]);
      });

      it('two days of downtime: one late catch-up on start covering the whole gap, then daily again', async () => {
        const h = await harness(backend);
        await h.subscribe('09:00', 'UTC', '2024-11-01T08:00:00Z');
        await h.walk(h.scheduler(), '2024-11-01T08:00:00Z', '2024-11-01T10:00:00Z');

        // Down from 1 Nov 10:00 until 4 Nov 12:00: the digests of 2, 3 and 4 Nov were never posted.
        h.clock.now = new Date('2024-11-04T12:00:00Z');
        const restarted = h.scheduler(await h.open());
        await restarted.start();
        await h.walk(restarted, '2024-11-04T12:00:00Z', '2024-11-05T09:30:00Z');
        expect(h.posted.map((p) => [p.localDate, p.at, p.late])).toEqual([
          ['2024-11-01', '2024-11-01T09:00:00.000Z', false],
          ['2024-11-04', '2024-11-04T12:00:00.000Z', true],
          ['2024-11-05', '2024-11-05T09:00:00.000Z', false],
        ]);
        const catchUp = h.runs.find((r) => r.localDate === '2024-11-04')!;
        expect([catchUp.periodStart.toISOString(), catchUp.periodEnd.toISOString()]).toEqual(['2024-11-01T09:00:00.000Z', '2024-11-04T12:00:00.000Z']);
      });

      it('a channel it cannot post in: logged, marked failed, and the next run covers the failed period', async () => {
        const h = await harness(backend);
        await h.subscribe('09:00', 'UTC', '2024-11-01T08:00:00Z');
        let broken = true;
        const s = h.scheduler(h.records, async (channelId, message) => {
          if (broken) throw new Error('Missing Access');
          h.posted.push({ channelId, at: h.clock.now.toISOString(), localDate: String(message.content), late: false });
        });
        await h.walk(s, '2024-11-01T08:00:00Z', '2024-11-01T10:00:00Z');
        expect(h.posted).toEqual([]);
        broken = false;
        await h.walk(s, '2024-11-01T10:00:00Z', '2024-11-02T10:00:00Z');
        expect(h.posted.map((p) => p.localDate)).toEqual(['2024-11-02']);
        const next = h.runs.find((r) => r.localDate === '2024-11-02')!;
        expect(next.periodStart.toISOString()).toBe('2024-10-31T08:00:00.000Z'); // not 1 Nov 09:00: that digest never arrived
        expect((await h.records.digestRuns.takeFailureNotices(next.subscriptionId, h.clock.now)).map((r) => [r.localDate, r.error])).toEqual([
          ['2024-11-01', 'Missing Access'],
        ]);
      });
    });

    describe('digest scheduler: a process stopped between claiming and posting', () => {
      it('the day is not posted twice; it is reported as failed, and the next digest covers it', async () => {
        const h = await harness(backend);
        const subscription = await h.subscribe('09:00', 'UTC', '2024-11-01T08:00:00Z');
        // Killed after claiming 1 Nov's digest and before posting it: the row stays "claimed".
        const claimed = await h.records.digestRuns.claim(subscription, { localDate: '2024-11-01', scheduledFor: new Date('2024-11-01T09:00:00Z'), late: false }, new Date('2024-11-01T09:00:00Z'));
        expect(claimed?.state).toBe('claimed');

        h.clock.now = new Date('2024-11-01T09:10:00Z');
        const restarted = h.scheduler(await h.open());
        expect((await restarted.start()).map((o) => o.result)).toEqual(['already-claimed']);
        expect(await h.records.digestRuns.takeFailureNotices(subscription.id, h.clock.now)).toEqual([]); // still within its time

        await h.walk(restarted, '2024-11-01T09:10:00Z', '2024-11-02T09:30:00Z');
        expect(h.posted.map((p) => p.localDate)).toEqual(['2024-11-02']);
        expect((await h.records.digestRuns.takeFailureNotices(subscription.id, h.clock.now)).map((r) => [r.localDate, r.error])).toEqual([
          ['2024-11-01', 'the bot stopped before posting it'],
        ]);
        const next = h.runs.find((r) => r.localDate === '2024-11-02')!;
        expect(next.periodStart.toISOString()).toBe('2024-10-31T08:00:00.000Z');
      });
    });

    describe('digest scheduler: racing runs', () => {
      it('two schedulers on one database, run at the same moment, post once', async () => {
        const h = await harness(backend);
        await h.subscribe('09:00', 'UTC', '2024-11-01T08:00:00Z');
        h.clock.now = new Date('2024-11-01T09:00:00Z');
        const slowPost = async (channelId: string, message: DigestMessage) => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          h.posted.push({ channelId, at: h.clock.now.toISOString(), localDate: String(message.content), late: false });
        };
        const other = await h.open();
        const [a, b] = await Promise.all([h.scheduler(h.records, slowPost).runDue(), h.scheduler(other, slowPost).runDue()]);
        expect([...a, ...b].map((o) => o.result).sort()).toEqual(['already-claimed', 'posted']);
        expect(h.posted).toHaveLength(1);
      });

      it('four processes racing over twenty days post each subscription\'s digest exactly once a day', async () => {
        const h = await harness(backend);
        const guilds = ['g1', 'g2', 'g3'];
        for (const guildId of guilds) {
          await h.records.subscriptions.subscribe({ guildId, channelId: `c-${guildId}`, time: '09:00', timezone: 'UTC', createdBy: 'u1' }, new Date('2024-11-01T08:00:00Z'));
        }
        const dir = mkdtempSync(path.join(tmpdir(), 'archivist-race-'));
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        const out = path.join(dir, 'posts.txt');
        const child = path.join(import.meta.dirname, 'helpers', 'digest-race-child.ts');
        const startAt = Date.now() + 3000; // all four start together, after their start-up
        const results = await Promise.all(
          [1, 2, 3, 4].map(
            (n) =>
              new Promise<number>((resolve, reject) => {
                const proc = spawn(process.execPath, ['--import', 'tsx', child, h.target, out, String(startAt), String(n)], { stdio: 'inherit' });
                proc.on('error', reject);
                proc.on('exit', (code) => resolve(code ?? -1));
              }),
          ),
        );
        expect(results).toEqual([0, 0, 0, 0]);
        const lines = readFileSync(out, 'utf8').trim().split('\n');
        const posts = lines.filter((line) => line.startsWith('post ')).map((line) => line.split(' ') as [string, string, string, string]);
        const runs = lines.filter((line) => line.startsWith('run '));
        expect(runs).toHaveLength(4 * 20 * guilds.length); // every process tried every subscription every day
        for (const guildId of guilds) {
          const days = posts.filter((p) => p[2] === `c-${guildId}`).map((p) => p[3]);
          expect(days).toHaveLength(20);
          expect(new Set(days).size).toBe(20);
        }
        const won = [1, 2, 3, 4].map((n) => `${n}:${posts.filter((p) => p[1] === String(n)).length}`).join(' ');
        console.log(`race (${backend.name}): 4 processes x 20 days x ${guilds.length} subscriptions -> ${posts.length} posts, 20 per subscription, one per day; posts won per process: ${won}`);
      });
    });
  });
});
