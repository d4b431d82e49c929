import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncGuildCommands } from '../src/bot/command-registry.js';
import { MemoryQuestionLog } from '../src/bot/memory-question-log.js';
import { runBot, type BotHandle } from '../src/bot/run.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { FakeLibrary } from './discord-double/fake-library.js';
import { startDiscordDouble, type DiscordDouble, type InteractionRecord } from './discord-double/index.js';

/** The bot runtime in-process against the double, with a scripted library (slow answers, failures, a slow re-index). */

const EPHEMERAL = 64;

function buttons(message: { components?: Array<{ components: Array<{ custom_id?: string; label?: string }> }> } | undefined) {
  return (message?.components ?? []).flatMap((row) => row.components);
}

describe('bot runtime (in-process, scripted library)', () => {
  let double: DiscordDouble;
  let bot: BotHandle;
  let library: FakeLibrary;
  const questionLog = new MemoryQuestionLog();
  const lines: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-bot-runtime-'));

  beforeAll(async () => {
    double = await startDiscordDouble();
    library = new FakeLibrary();
    bot = await runBot({
      config: loadConfig({ DOCS_DIR: dir, INDEX_DIR: dir, DATA_DIR: dir }, dir),
      token: double.token,
      log: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
      library,
      questionLog,
      env: { DISCORD_API_URL: double.apiUrl, DISCORD_GUILD_ID: double.guildId, RATE_LIMIT_COUNT: '50' },
      processHandlers: false,
    });
    await bot.serving;
    await double.waitFor(() => double.commands.get(double.guildId)?.some((c) => c.name === 'ask'), 10_000, 'commands registered');
  });

  afterAll(async () => {
    await bot?.stop('tests done');
    await double?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers its commands in the guild at start-up, and finds them unchanged afterwards', async () => {
    const registered = double.commands.get(double.guildId)!.map((c) => c.name);
    expect(registered).toEqual(expect.arrayContaining(['ask', 'source', 'status', 'reindex']));
    const reindex = double.commands.get(double.guildId)!.find((c) => c.name === 'reindex')!;
    expect(reindex.default_member_permissions).toBe('8');
    const puts = double.requests.filter((r) => r.method === 'PUT').length;
    const again = await syncGuildCommands({ rest: bot.client.rest, applicationId: double.application.id, guildId: double.guildId, commands: bot.commands.values(), log: createLogger({ write: () => undefined }) });
    expect(again).toBe('unchanged');
    expect(double.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
  });

  it('acknowledges within 3 s when the answer takes 4 s, then edits the reply', async () => {
    const record = double.slash('ask', { question: 'a slow question' }, { user: 'patient' });
    await double.waitForAck(record, 3000);
    expect(record.ackAt! - record.dispatchedAt).toBeLessThan(3000);
    expect(record.ackType).toBe(5);
    await double.waitForFinal(record, 10_000);
    expect(record.finalAt! - record.dispatchedAt).toBeGreaterThanOrEqual(3900);
    expect(record.original!.embeds[0].fields.length).toBe(3);
  }, 15_000);

  it('turns a library failure into a short ephemeral message with an error code, and keeps serving', async () => {
    const record = double.slash('ask', { question: 'boom goes the library' }, { user: 'unlucky' });
    await double.waitFor(() => record.followups.length > 0, 5000, 'the error follow-up');
    const message = record.followups[0]!;
    expect(message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(message.content).toMatch(/^Something went wrong \(error [0-9a-f]{6}\)/);
    expect(record.deleted).toBe(true);
    const code = /error ([0-9a-f]{6})/.exec(message.content)![1]!;
    expect(lines.some((line) => line.includes('failed') && line.includes(code) && line.includes('the search engine exploded'))).toBe(true);

    const next = double.slash('ask', { question: 'how are deploys rolled back?' }, { user: 'unlucky' });
    await double.waitForFinal(next);
    expect(next.original!.embeds[0].fields.length).toBe(3);
  });

  it('stores 👍/👎 against the logged question, and says when a button has expired', async () => {
    const record = double.slash('ask', { question: 'how are deploys rolled back?' }, { user: 'voter' });
    await double.waitForFinal(record);
    const down = buttons(record.original).find((b) => b.custom_id?.endsWith(':down'))!;
    const questionId = Number(down.custom_id!.split(':')[2]);
    expect(questionLog.questions.get(questionId)?.question).toBe('how are deploys rolled back?');
    const click = double.click(record.original!, down.custom_id!, { user: 'voter' });
    await double.waitForFinal(click);
    expect(click.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(questionLog.feedback.at(-1)).toMatchObject({ questionId, vote: 'down', userId: double.user('voter').id });

    const stale = { ...record.original!, components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Full passage', custom_id: 'ask:p:0:~zzzz' }] }] };
    const expired = double.click(stale, 'ask:p:0:~zzzz');
    await double.waitForFinal(expired);
    expect(expired.original!.content).toContain('expired');
    expect(expired.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('pages the document list in place with its buttons', async () => {
    const list = double.slash('source', {}, { user: 'reader' });
    await double.waitForFinal(list);
    expect(list.original!.embeds[0].footer.text).toContain('Page 1 of 3');
    const next = double.click(list.original!, 'source:l:next:1', { user: 'reader' });
    await double.waitForFinal(next);
    expect(next.ackType).toBe(7);
    expect(list.original!.embeds[0].footer.text).toContain('Page 2 of 3');
    expect(list.original!.embeds[0].description).toContain('Document 10');
  });

  it('runs one re-index at a time, for administrators, while questions are still answered', async () => {
    const refused = double.slash('reindex', {}, { user: 'intern' });
    await double.waitForFinal(refused);
    expect(refused.original!.content).toBe('Only server administrators can re-index the library.');
    expect(refused.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(library.reindexCalls).toBe(0);

    const first = double.slash('reindex', {}, { user: 'admin1', admin: true });
    await double.waitForAck(first);
    const second = double.slash('reindex', {}, { user: 'admin2', admin: true });
    const question = double.slash('ask', { question: 'still answering during the reindex?' }, { user: 'during' });
    await double.waitForFinal(second);
    expect(second.original!.content).toContain('already running');
    await double.waitForFinal(question);
    expect(question.finalAt!).toBeLessThan(first.finalAt ?? Number.POSITIVE_INFINITY);
    await double.waitForFinal(first);
    expect(first.original!.embeds[0].title).toBe('Re-index finished');
    expect(library.reindexCalls).toBe(1);
  });

  it('answers autocomplete with nothing when suggestions fail', async () => {
    const original = library.suggestRefs.bind(library);
    library.suggestRefs = () => {
      throw new Error('index busy');
    };
    const record = double.autocomplete('source', { ref: 'doc' }, 'ref');
    await double.waitForFinal(record);
    expect(record.choices).toEqual([]);
    library.suggestRefs = original;
    const ok = double.autocomplete('source', { ref: 'doc-01' }, 'ref');
    await double.waitForFinal(ok);
    expect(ok.choices!.map((c) => c.value)).toEqual(['team/doc-01:1', 'team/doc-01:2', 'team/doc-01:3']);
  });

  it('sent every message without pings and broke no Discord rule', () => {
    for (const { body } of double.contentBodies()) expect(body.allowed_mentions).toEqual({ parse: [] });
    // The late, refused and duplicate acknowledgements above are deliberate; nothing else may fail.
    expect(double.violations).toEqual([]);
  });

  it('on stop, finishes the replies in flight, refuses new work, then closes the library', async () => {
    library.slowMs = 1500;
    const inFlight = double.slash('ask', { question: 'slow one at shutdown' }, { user: 'last' });
    await double.waitForAck(inFlight);
    const stopped = bot.stop('test');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const late: InteractionRecord = double.slash('ask', { question: 'too late' }, { user: 'late' });
    await stopped;
    expect(inFlight.original!.embeds[0].fields.length).toBe(3);
    expect(inFlight.finalAt).toBeDefined();
    expect(late.original?.content).toBe('The bot is restarting; please try again in a moment.');
    expect(library.closed).toBe(true);
    expect(library.asked).not.toContain('too late');
  });
});

describe('bot runtime while the library is loading', () => {
  it('defers a question that arrives while it loads, and answers it once it is in', async () => {
    const double = await startDiscordDouble();
    const dir = mkdtempSync(path.join(tmpdir(), 'archivist-bot-loading-'));
    let release!: (library: FakeLibrary) => void;
    const pending = new Promise<FakeLibrary>((resolve) => (release = resolve));
    const bot = await runBot({
      config: loadConfig({ DOCS_DIR: dir, INDEX_DIR: dir }, dir),
      token: double.token,
      log: createLogger({ write: () => undefined }),
      library: pending,
      env: { DISCORD_API_URL: double.apiUrl },
      processHandlers: false,
    });
    try {
      await double.waitForSession();
      await double.waitFor(() => bot.client.isReady(), 5000, 'client ready');
      const early = double.slash('ask', { question: 'anyone home?' });
      await double.waitForAck(early);
      expect(early.ackType).toBe(5);
      expect(early.finalAt).toBeUndefined();
      release(new FakeLibrary(2));
      await bot.serving;
      await double.waitForFinal(early);
      expect(early.original!.embeds[0].fields.length).toBe(3);
      expect(early.original!.flags & EPHEMERAL).toBe(0);
      const later = double.slash('ask', { question: 'anyone home now?' });
      await double.waitForFinal(later);
      expect(later.original!.embeds[0].fields.length).toBe(3);
      // Without DISCORD_GUILD_ID the bot registers nothing by itself.
      expect(double.requests.some((r) => r.method === 'PUT')).toBe(false);
    } finally {
      await bot.stop();
      await double.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bot runtime stopped while the library is loading', () => {
  it('tells the questions waiting for the library that the bot is restarting, without waiting for it', async () => {
    const double = await startDiscordDouble();
    const dir = mkdtempSync(path.join(tmpdir(), 'archivist-bot-loading-stop-'));
    const bot = await runBot({
      config: loadConfig({ DOCS_DIR: dir, INDEX_DIR: dir }, dir),
      token: double.token,
      log: createLogger({ write: () => undefined }),
      library: new Promise<FakeLibrary>(() => undefined), // a build that never ends
      env: { DISCORD_API_URL: double.apiUrl },
      processHandlers: false,
    });
    try {
      await double.waitFor(() => bot.client.isReady(), 5000, 'client ready');
      const waiting = double.slash('ask', { question: 'anyone home?' });
      await double.waitForAck(waiting);
      expect(waiting.ackType).toBe(5);
      await bot.stop('deploy');
      const shown = double.shown(await double.waitForFinal(waiting));
      expect(shown!.content).toBe('The bot is restarting; please try again in a moment.');
      expect(shown!.flags & EPHEMERAL).toBe(EPHEMERAL);
    } finally {
      await double.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('bot runtime shutdown while the gateway is between IDENTIFY and READY', () => {
  it('stops within its gateway deadline though discord.js never finishes closing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'archivist-bot-stop-'));
    // The first session is normal; the resume is refused and the second IDENTIFY gets no READY.
    const double = await startDiscordDouble({ rejectResume: true, withholdReadyFrom: 2 });
    const lines: string[] = [];
    const bot = await runBot({
      config: loadConfig({ DOCS_DIR: dir, INDEX_DIR: dir, DATA_DIR: dir }, dir),
      token: double.token,
      log: createLogger({ level: 'info', write: (line) => lines.push(line) }),
      library: new FakeLibrary(),
      questionLog: new MemoryQuestionLog(),
      env: { DISCORD_API_URL: double.apiUrl },
      processHandlers: false,
    });
    try {
      await bot.serving;
      double.dropConnection();
      await double.waitFor(() => double.identifies === 2, 15_000, 'the second IDENTIFY');
      // A stop that waited for discord.js would never return: the test's timeout is the check.
      await bot.stop('test');
      expect(lines.some((line) => line.includes('the gateway did not close in time'))).toBe(true);
      expect(lines.some((line) => line.includes('stopped'))).toBe(true);
    } finally {
      // The client may still be reconnecting; its destroy() is not waited for (see run.ts).
      await Promise.race([bot.client.destroy().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await double.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
