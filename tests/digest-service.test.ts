import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDigestCli } from '../src/digest/cli.js';
import type { Digest } from '../src/digest/digest.js';
import type { DigestMessage } from '../src/digest/render-discord.js';
import { DigestService } from '../src/digest/service.js';
import { digestSettings } from '../src/digest/settings.js';
import { librarySources } from '../src/digest/sources.js';
import { INDEXED_AT, seedActivity } from './helpers/digest-fixtures.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { seedLibrary } from './helpers/seed-library.js';
import { memoryLogger, tempSqliteRecords } from './helpers/store.js';

let library: Awaited<ReturnType<typeof seedLibrary>>;
beforeAll(async () => {
  library = await seedLibrary(new HashEmbedder({ dims: 256 }));
});
afterAll(() => library.cleanup());
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function setup(env: NodeJS.ProcessEnv = {}, failing = false) {
  const t = tempSqliteRecords();
  cleanups.push(t.cleanup);
  await seedActivity(t.records, library);
  const clock = { now: new Date('2024-11-01T08:30:00Z') };
  const posts: Array<{ channelId: string; message: DigestMessage; at: Date }> = [];
  const service = new DigestService({
    records: t.records,
    sources: librarySources(() => library),
    log: memoryLogger(),
    settings: digestSettings(env),
    now: () => clock.now,
    post: async (channelId, message) => {
      if (failing) throw new Error('Missing Permissions');
      posts.push({ channelId, message, at: clock.now });
    },
  });
  cleanups.push(() => service.stop());
  await service.subscribe({ guildId: 'g1', channelId: 'c1', time: '09:00', timezone: 'Europe/Berlin', createdBy: 'u1' });
  const at = async (iso: string) => {
    clock.now = new Date(iso);
    return service.scheduler.runDue();
  };
  return { ...t, service, posts, at, clock };
}

describe('DigestService', () => {
  it('posts the day\'s digest with every section, then a one-line digest for a quiet day', async () => {
    const { posts, at } = await setup();
    await at('2024-11-02T08:00:00Z'); // 09:00 in Berlin
    expect(posts).toHaveLength(1);
    const embed = posts[0]!.message.embeds[0]!;
    expect(embed.description).toContain('New and changed in the library');
    expect(embed.fields!.map((f) => f.name)).toEqual(['Most asked', '\u200b', '\u200b', '\u200b', '\u200b', 'Not found']);
    expect(embed.footer!.text).toMatch(/^10 questions · \d+% answered · 3 documents · \d+ passages in the library$/);

    await at('2024-11-03T08:00:00Z');
    expect(posts[1]!.message.embeds).toEqual([]);
    expect(posts[1]!.message.content).toMatch(/^📭 Nothing new since <t:1730534400:f>/);
  });

  it('with DIGEST_SKIP_EMPTY a quiet day posts nothing, and the next digest starts after it', async () => {
    const { posts, at, records } = await setup({ DIGEST_SKIP_EMPTY: '1' });
    await at('2024-11-02T08:00:00Z');
    const outcome = await at('2024-11-03T08:00:00Z');
    expect(outcome.map((o) => o.result)).toEqual(['skipped']);
    expect(posts).toHaveLength(1);
    expect(await records.digestRuns.lastCovered()).toEqual(new Date('2024-11-03T08:00:00Z'));
  });

  it('a failed post is told once, by the next /digest, and the next digest covers it', async () => {
    const { service, at } = await setup({}, true);
    await at('2024-11-02T08:00:00Z');
    const notices = await service.takeFailureNotices('g1');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/digest for 2024-11-02 could not be posted in <#c1> \(Missing Permissions\)/);
    expect(await service.takeFailureNotices('g1')).toEqual([]);
    const pending = await service.pending('g1');
    expect(pending.figures.questions).toBe(10); // still owed: nothing was delivered
  });

  it('/digest now and preview continue from the last delivered digest', async () => {
    const { service, at } = await setup();
    await at('2024-11-02T08:00:00Z');
    const pending = await service.pending('g1');
    expect(pending.period.since).toBe('2024-11-02T08:00:00.000Z');
    expect(pending.figures.questions).toBe(0);
    expect((await service.pending('g-unsubscribed')).period.since).toBe('2024-11-01T08:00:00.000Z');
  });
});

describe('runDigestCli', () => {
  it('prints the text digest since a date, or JSON', async () => {
    const t = tempSqliteRecords();
    cleanups.push(t.cleanup);
    await seedActivity(t.records, library);
    let out = '';
    const deps = { records: t.records, sources: librarySources(() => library), timezone: 'UTC', now: () => new Date('2024-11-02T08:00:00Z'), write: (text: string) => (out += text) };
    expect(await runDigestCli({ since: INDEXED_AT.toISOString() }, deps)).toBe(0);
    expect(out).toMatch(/^Digest, 1 Nov 2024, 08:00 to 2 Nov 2024, 08:00 \(UTC\)\n/);
    expect(out).toContain('Most asked');
    out = '';
    await runDigestCli({ json: true }, deps);
    const digest = JSON.parse(out) as Digest;
    expect(digest.period).toEqual({ since: '2024-11-01T08:00:00.000Z', until: '2024-11-02T08:00:00.000Z' });
    await expect(runDigestCli({ since: 'yesterday' }, deps)).rejects.toThrow(/--since/);
  });
});

describe('digestSettings', () => {
  it('reads the default subscription and rejects malformed values', () => {
    expect(digestSettings({ DIGEST_CHANNEL_ID: '123456789012345678', DIGEST_TIME: '7:30', DIGEST_TZ: 'europe/berlin' })).toEqual({
      defaultSubscription: { channelId: '123456789012345678', time: '07:30', timezone: 'Europe/Berlin' },
      timezone: 'Europe/Berlin',
      skipEmpty: false,
    });
    expect(digestSettings({})).toEqual({ defaultSubscription: null, timezone: 'UTC', skipEmpty: false });
    expect(() => digestSettings({ DIGEST_TIME: '25:00' })).toThrow(/DIGEST_TIME/);
    expect(() => digestSettings({ DIGEST_TZ: 'Mars/Olympus' })).toThrow(/DIGEST_TZ/);
    expect(() => digestSettings({ DIGEST_CHANNEL_ID: '#general' })).toThrow(/DIGEST_CHANNEL_ID/);
  });
});
