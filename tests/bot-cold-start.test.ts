import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WAITING_FOR_LIBRARY } from '../commands/digest.js';
import { REPO_ROOT, startBotProcess, type BotProcess } from './discord-double/bot-process.js';
import { startDiscordDouble, type DiscordDouble, type InteractionRecord } from './discord-double/index.js';

/**
 * A restart as a team goes through on every deploy: the real bot process registers its commands
 * and takes interactions before its library has loaded. Questions and /digest sent at that moment
 * wait for the library and are then answered. The bot holds its library (ARCHIVIST_TEST_HOLD_LIBRARY)
 * until the test has seen every request arrive, so they surely arrive while it loads.
 */

const DOCS = path.join(REPO_ROOT, 'tests/fixtures/bot-docs');
const work = mkdtempSync(path.join(tmpdir(), 'archivist-cold-start-'));
// Shared by both starts: the first builds the index, the second restarts on it.
const indexDir = path.join(work, 'index');
const dataDir = path.join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fieldsOf = (message: Json | undefined): Json[] => message?.embeds?.[0]?.fields ?? [];

async function coldStart(name: string): Promise<void> {
  const double: DiscordDouble = await startDiscordDouble({ heartbeatIntervalMs: 2000 });
  const release = path.join(work, `release-${name}`);
  let bot: BotProcess | undefined;
  try {
    bot = await startBotProcess(double, {
      docsDir: DOCS,
      env: { INDEX_DIR: indexDir, DATA_DIR: dataDir, ARCHIVIST_TEST_HOLD_LIBRARY: release },
      readyPattern: /connected to Discord/,
    });
    await double.waitFor(() => double.commands.get(double.guildId)?.some((c) => c.name === 'digest'), 30_000, 'the guild commands');

    // The moment the commands are registered: a question, a mention and /digest now.
    const ask = double.slash('ask', { question: 'How do I get access to the VPN?' }, { user: 'first' });
    const mention = double.postMessage('{bot} how long does VPN approval take?', { user: 'second' });
    const digest = double.slash('digest', { now: {} }, { user: 'third' });
    await double.waitForAck(ask, 30_000);
    await double.waitFor(() => (digest.original?.content === WAITING_FOR_LIBRARY ? digest : undefined), 30_000, '/digest saying what it waits for');
    await double.waitFor(() => double.requests.some((r) => r.method === 'POST' && r.path.endsWith('/typing')), 30_000, 'the mention being taken');
    // Deferred, not refused: nothing is answered yet, and nobody was told to come back later.
    expect(ask.ackType).toBe(5);
    expect(fieldsOf(ask.original)).toHaveLength(0);
    expect(double.repliesTo(mention.id)).toHaveLength(0);
    expect(bot.stderr()).not.toMatch(/archivist bot is serving/);

    writeFileSync(release, '');
    const answered = await double.waitFor(() => (fieldsOf(ask.original).length > 0 ? ask : undefined), 60_000, 'the /ask answer');
    expect(answered.original!.embeds[0].fields[0].value).toMatch(/\*\*[^*]*VPN[^*]*\*\*/);
    const [reply] = await double.waitFor(() => {
      const replies = double.repliesTo(mention.id);
      return fieldsOf(replies[0]).length > 0 ? replies : undefined;
    }, 60_000, 'the mention answer');
    expect(fieldsOf(reply)[0]!.value).toContain('less than an hour');
    const posted = await double.waitFor(() => (digest.original?.content !== WAITING_FOR_LIBRARY ? digest : undefined), 60_000, 'the digest');
    expect(posted.original!.flags ?? 0).toBe(0);
    expect(JSON.stringify(posted.original)).toContain('New Engineer Onboarding');
    const everything = JSON.stringify([ask, digest, double.repliesTo(mention.id)].map((r: InteractionRecord | Json[]) => r));
    expect(everything).not.toMatch(/still loading|not running on this bot/);
    expect(double.violations).toEqual([]);
  } finally {
    await bot?.stop('SIGTERM');
    await double.close();
  }
}

describe('questions at start-up wait for the library instead of being refused', () => {
  it('with no index yet: /ask, a mention and /digest now are answered once the first build is in', () => coldStart('first'), 240_000);

  it('after a restart on a built index: the same', () => coldStart('restart'), 240_000);
});
