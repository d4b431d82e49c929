import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeText } from '../src/bot/markdown.js';
import { REPO_ROOT, startBotProcess, type BotProcess } from './discord-double/bot-process.js';
import { INTENTS, startDiscordDouble, type DiscordDouble, type InteractionRecord } from './discord-double/index.js';

/**
 * End to end: the real bot process (`node --import tsx src/main.ts`), the real library over a small
 * fixture corpus with the bundled embedder, and the Discord test double. One bot process for the file.
 */

const DOCS = path.join(REPO_ROOT, 'tests/fixtures/bot-docs');
const raw = (file: string) => readFileSync(path.join(DOCS, file), 'utf8');
const CORPUS = ['onboarding.md', 'deploys.md', 'hostile.md'].map(raw).join('\n');
const EPHEMERAL = 64;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The bold parts of a field (the quote), as the reader sees them. */
function quotes(value: string): string[] {
  return [...value.matchAll(/(?<!\\)\*\*([\s\S]*?)(?<!\\)\*\*/g)].map((m) => unescapeText(m[1]!.replace(/\n> /g, '\n')));
}

/** The blockquoted lines of a field or description, as the reader sees them. */
function quoted(text: string): string {
  return unescapeText(
    text
      .split('\n')
      .filter((line) => line.startsWith('>'))
      .map((line) => line.replace(/^> ?/, ''))
      .join('\n')
      .replace(/(?<!\\)\*\*/g, ''),
  );
}

function buttonsOf(message: Json | undefined): Json[] {
  return (message?.components ?? []).flatMap((row: Json) => row.components);
}

describe('archivist bot end to end (real process, real library, Discord double)', () => {
  let double: DiscordDouble;
  let bot: BotProcess;

  beforeAll(async () => {
    double = await startDiscordDouble({ heartbeatIntervalMs: 2000 });
    // Debug logging on: the token must stay out of even the most verbose output.
    bot = await startBotProcess(double, { docsDir: DOCS, env: { LOG_LEVEL: 'debug' } });
    await double.waitFor(() => double.commands.get(double.guildId)?.some((c) => c.name === 'ask'), 10_000, 'guild commands');
  }, 180_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) await bot.stop('SIGKILL');
    await double?.close();
  });

  async function ask(question: string, options: Json = {}, user = 'asker'): Promise<InteractionRecord> {
    const record = double.slash('ask', { question, ...options }, { user });
    return double.waitForFinal(record, 30_000);
  }

  it('connects with Guilds + GuildMessages only and registers its commands in the guild', () => {
    const identify = double.frames.find((f) => f.dir === 'in' && f.op === 2)!;
    expect(identify.d.intents).toBe(INTENTS.Guilds | INTENTS.GuildMessages);
    const names = double.commands.get(double.guildId)!.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['ask', 'source', 'status', 'reindex']));
    expect(double.requests.some((r) => r.method === 'PUT' && r.path.endsWith(`/guilds/${double.guildId}/commands`))).toBe(true);
  });

  it('/ask defers, then answers with verbatim quotes, linked citations, refs and buttons', async () => {
    const record = await ask('How do I get access to the VPN?');
    expect(record.ackType).toBe(5);
    expect(record.ackAt! - record.dispatchedAt).toBeLessThan(3000);
    expect(record.original!.flags & EPHEMERAL).toBe(0);
    const embed = record.original!.embeds[0];
    expect(embed.title).toBe('How do I get access to the VPN?');
    const first = embed.fields[0];
    const [quote] = quotes(first.value);
    expect(quote).toContain('VPN');
    expect(CORPUS).toContain(quote);
    for (const field of embed.fields) for (const q of quotes(field.value)) expect(CORPUS).toContain(q);
    expect(first.value).toContain('[Engineering Handbook — New Engineer Onboarding (2024-03-01)');
    // The citation links straight to the quoted section of the document.
    expect(first.value).toMatch(/\]\(https:\/\/handbook\.example\.com\/onboarding#[\w-]+\)/);
    expect(first.value).toMatch(/Ref `onboarding:\d+`/);
    const ids = buttonsOf(record.original).map((b) => b.custom_id);
    expect(ids[0]).toMatch(/^ask:p:0:onboarding:\d+$/);
    expect(ids.slice(-2)).toEqual([expect.stringMatching(/^ask:fb:\d+:up$/), expect.stringMatching(/^ask:fb:\d+:down$/)]);
  });

  it('/ask honours results and private', async () => {
    const record = await ask('When do deploys go out?', { results: 1, private: true });
    expect(record.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(record.original!.embeds[0].fields).toHaveLength(1);
    expect(quotes(record.original!.embeds[0].fields[0].value)[0]).toContain('10:00 and 15:00 UTC');
  });

  it('says "not found in the library" rather than quoting unrelated text', async () => {
    const record = await ask('What is the recipe for sourdough bread with rye flour?');
    const embed = record.original!.embeds[0];
    expect(embed.description).toContain('Not found in the library');
    expect(embed.fields ?? []).toHaveLength(0);
    expect(embed.description).not.toContain('Nearest sections');
    expect(buttonsOf(record.original).map((b) => b.custom_id)).toEqual([expect.stringMatching(/^ask:fb:\d+:up$/), expect.stringMatching(/^ask:fb:\d+:down$/)]);
  });

  it('a declined question about the library names its nearest section, and its button opens the passage', async () => {
    const record = await ask('Can I bring my dog on my first day?', {}, 'clicker');
    const embed = record.original!.embeds[0];
    expect(embed.description).toContain('Not found in the library');
    expect(embed.fields ?? []).toHaveLength(0);
    expect(embed.description).toContain('Nearest sections, not checked to answer it:');
    expect(embed.description).toContain(
      '• [Engineering Handbook — New Engineer Onboarding (2024-03-01) › Your first day, ¶ 1](https://handbook.example.com/onboarding#your-first-day) — `onboarding:1`',
    );
    const nearest = buttonsOf(record.original).find((b) => b.label === 'Nearest passage')!;
    const click = double.click(record.original!, nearest.custom_id, { user: 'clicker' });
    await double.waitForFinal(click);
    expect(click.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(click.original!.embeds[0].title).toBe('New Engineer Onboarding');
    expect(quoted(click.original!.embeds[0].description)).toContain('On your first day, IT hands you a laptop');
  });

  it('"Full passage" shows the passage with its neighbours, only to the clicker; 👍 is stored', async () => {
    const record = await ask('Who reviews my first pull request?', {}, 'clicker');
    const full = buttonsOf(record.original).find((b) => b.label?.startsWith('Full passage'))!;
    const click = double.click(record.original!, full.custom_id, { user: 'clicker' });
    await double.waitForFinal(click);
    expect(click.ackType).toBe(4);
    expect(click.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    const view = click.original!.embeds[0];
    expect(view.title).toBe('New Engineer Onboarding');
    expect(CORPUS).toContain(quoted(view.description));
    expect(view.fields.map((f: Json) => f.name)).toContain('Document');

    const up = buttonsOf(record.original).find((b) => b.custom_id.endsWith(':up'))!;
    const vote = double.click(record.original!, up.custom_id, { user: 'clicker' });
    await double.waitForFinal(vote);
    expect(vote.original!.content).toContain('Recorded 👍');
    expect(vote.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    await bot.waitForOutput(new RegExp(`feedback recorded.*question=${up.custom_id.split(':')[2]}.*vote=up`), 5000);
  });

  it('/source shows a passage with neighbours and metadata; without a ref it lists the documents', async () => {
    const answer = await ask('How do I roll back a bad deploy?');
    const ref = /Ref `([^`]+)`/.exec(answer.original!.embeds[0].fields[0].value)![1]!;
    const record = double.slash('source', { ref });
    await double.waitForFinal(record);
    const view = record.original!.embeds[0];
    expect(view.title).toBe('Deploying and Rolling Back');
    expect(view.description).toContain('Platform Runbook — Deploying and Rolling Back (2024-05-12)');
    expect(CORPUS).toContain(quoted(view.description));
    expect(view.footer.text).toBe(`Quoted verbatim · ref ${ref}`);
    expect(view.fields.find((f: Json) => f.name === 'Document').value).toContain('`deploys.md`');

    const list = double.slash('source', {});
    await double.waitForFinal(list);
    expect(list.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(list.original!.embeds[0].title).toBe('Indexed documents (3)');
    expect(list.original!.embeds[0].description).toContain('New Engineer Onboarding');

    const missing = double.slash('source', { ref: 'no-such-doc:9' });
    await double.waitForFinal(missing);
    expect(missing.original!.content).toContain('No passage has the ref');
    expect(missing.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('autocompletes refs and documents for /source', async () => {
    const record = double.autocomplete('source', { ref: 'onboard' }, 'ref');
    await double.waitForFinal(record);
    expect(record.choices!.length).toBeGreaterThan(0);
    expect(record.choices!.every((c) => String(c.value).startsWith('onboarding:'))).toBe(true);
  });

  it('/status reports documents, passages, embedder, index age and uptime', async () => {
    const record = double.slash('status');
    await double.waitForFinal(record);
    const fields = Object.fromEntries(record.original!.embeds[0].fields.map((f: Json) => [f.name, f.value]));
    expect(fields.Documents).toBe('3');
    expect(Number(fields.Passages)).toBeGreaterThanOrEqual(3);
    expect(fields.Embedder).toMatch(/dims/);
    expect(fields['Index built']).toMatch(/ago/);
    expect(fields.Uptime).toMatch(/\d+ (s|min)/);
  });

  it('answers a mention as a reply to the message, and ignores its own messages', async () => {
    const message = double.postMessage('{bot} how long does VPN approval take?', { user: 'mentioner' });
    const [reply] = await double.waitFor(() => (double.repliesTo(message.id).length ? double.repliesTo(message.id) : undefined), 30_000, 'the mention reply');
    expect(reply!.message_reference.message_id).toBe(message.id);
    expect(reply!.allowed_mentions).toEqual({ parse: [] });
    const quote = quotes(reply!.embeds[0].fields[0].value)[0]!;
    expect(quote).toContain('less than an hour');
    expect(CORPUS).toContain(quote);

    const empty = double.postMessage('{bot}', { user: 'mentioner' });
    const [help] = await double.waitFor(() => (double.repliesTo(empty.id).length ? double.repliesTo(empty.id) : undefined), 10_000, 'the help reply');
    expect(help!.content).toContain('Ask me a question');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(double.repliesTo(message.id)).toHaveLength(1);
    expect(double.channelMessages().filter((m) => !m.message_reference)).toHaveLength(0);
  });

  it('refuses /reindex to non-administrators and runs it for administrators', async () => {
    const refused = double.slash('reindex', {}, { user: 'intern' });
    await double.waitForFinal(refused);
    expect(refused.original!.content).toBe('Only server administrators can re-index the library.');
    expect(refused.original!.flags & EPHEMERAL).toBe(EPHEMERAL);

    const run = double.slash('reindex', {}, { user: 'boss', admin: true });
    await double.waitForFinal(run, 60_000);
    expect(run.ackType).toBe(5);
    expect(run.original!.embeds[0].title).toBe('Re-index finished');
    expect(run.original!.embeds[0].description).toContain('**Unchanged:** 3');
    const after = await ask('How do I get access to the VPN?');
    expect(after.original!.embeds[0].fields.length).toBeGreaterThan(0);
  }, 70_000);

  it('rate-limits a user after 5 questions in 30 s and says when to retry', async () => {
    const records: InteractionRecord[] = [];
    for (let i = 0; i < 6; i++) records.push(await ask(`When do deploys go out, take ${i}?`, {}, 'spammer'));
    expect(records.slice(0, 5).every((r) => r.ackType === 5)).toBe(true);
    const refused = records[5]!;
    expect(refused.ackType).toBe(4);
    expect(refused.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.original!.content).toMatch(/limit is 5 questions per 30 s\. Try again in \d+ s \(<t:\d+:R>\)/);
    const other = await ask('When do deploys go out?', {}, 'patient-user');
    expect(other.ackType).toBe(5);
  }, 60_000);

  it('refuses empty and over-long questions clearly', async () => {
    const empty = await ask('   ', {}, 'typo');
    expect(empty.original!.content).toContain('The question is empty');
    const long = await ask('why '.repeat(300), {}, 'typo');
    expect(long.original!.content).toMatch(/the limit is 1000/);
    expect(long.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('keeps a hostile document inside the limits and unable to ping anyone', async () => {
    const record = await ask('How long does the glacier archive keep quarterly backup tapes?', { results: 10 }, 'hostile-1');
    const embed = record.original!.embeds[0];
    const hostile = embed.fields.filter((f: Json) => f.value.includes('hostile:'));
    expect(hostile.length).toBeGreaterThan(0);
    for (const field of hostile) for (const q of quotes(field.value)) expect(CORPUS).toContain(q.replace(/…$/, ''));
    expect(hostile[0].name).toContain('\\*\\*URGENT\\*\\*');

    // /source on a piece of the 10,000-character paragraph: the whole passage, escaped, within 4,096.
    const long = /(?:Ref `|`\/source ref:)(hostile:\d+)`/.exec(JSON.stringify(embed))![1]!;
    const longView = double.slash('source', { ref: long });
    await double.waitForFinal(longView);
    const description: string = longView.original!.embeds[0].description;
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(CORPUS).toContain(quoted(description).replace(/…$/, ''));
    expect(longView.original!.embeds[0].url).toBeUndefined();
    expect(longView.original!.embeds[0].title).toContain('\\*\\*URGENT\\*\\*');

    const sent = JSON.stringify(double.contentBodies().map((b) => b.body));
    expect(sent).not.toMatch(/@everyone|@here|<@[!&]?\d|<#\d/);
    expect(sent).not.toContain('](javascript:');
  });

  it('answers after the double drops the gateway connection (resume), and after a new session', async () => {
    const sessions = double.identifies + double.resumes;
    double.dropConnection();
    await double.waitForSession(20_000, sessions + 1);
    expect(double.resumes).toBeGreaterThanOrEqual(1);
    const afterResume = await ask('How do I get access to the VPN?', {}, 'reconnect-1');
    expect(afterResume.original!.embeds[0].fields.length).toBeGreaterThan(0);

    const identifies = double.identifies;
    double.dropConnection({ mode: 'close', code: 1000 });
    await double.waitFor(() => double.identifies > identifies && double.connected, 30_000, 'a new session');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const afterIdentify = await ask('When do deploys go out?', {}, 'reconnect-2');
    expect(afterIdentify.original!.embeds[0].fields.length).toBeGreaterThan(0);
  }, 60_000);

  it('sent every message with allowed_mentions parse [] and broke no Discord rule', () => {
    const bodies = double.contentBodies();
    expect(bodies.length).toBeGreaterThan(20);
    for (const { body } of bodies) expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(double.violations).toEqual([]);
  });

  it('shuts down gracefully on SIGTERM, finishing the reply in flight, and never printed the token', async () => {
    const record = double.slash('ask', { question: 'Who owns incident communication?' }, { user: 'last-one' });
    await double.waitForAck(record);
    const exit = await bot.stop('SIGTERM');
    expect(record.finalAt).toBeDefined();
    expect(record.original!.embeds[0].fields.length).toBeGreaterThan(0);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).toMatch(/shutting down/);
    expect(bot.stderr()).toMatch(/stopped/);
    const output = bot.stdout() + bot.stderr();
    expect(output).not.toContain(double.token);
    expect(output).not.toContain(double.token.split('.').slice(0, 2).join('.'));
    expect(output).toMatch(/Provided token: \[redacted\]/);
    expect(bot.stderr()).not.toMatch(/unhandled/i);
  });
});
