import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import matter from 'gray-matter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBodies, sameCommands } from '../src/bot/command-registry.js';
import { loadCommands } from '../src/bot/commands-loader.js';
import { unescapeText } from '../src/bot/markdown.js';
import { REPO_ROOT, startBotProcess, type BotProcess } from './discord-double/bot-process.js';
import { startDiscordDouble, type DiscordDouble, type InteractionRecord } from './discord-double/index.js';
import { memoryLogger } from './helpers/store.js';

/**
 * "Add to library", "Remove from library" and /library end to end: the real bot process over a copy
 * of the fixture docs, with WATCH_DOCS=0 (so only the commands' own re-index can make a change
 * answerable), and the Discord test double serving message commands, threads and attachments.
 */

const EPHEMERAL = 64;
const MANAGE_MESSAGES = String(1n << 13n);
const MANAGE_GUILD = String(1n << 5n);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The bold parts of a field (the quote), as the reader sees them. */
function quotes(value: string): string[] {
  return [...value.matchAll(/(?<!\\)\*\*([\s\S]*?)(?<!\\)\*\*/g)].map((m) => unescapeText(m[1]!.replace(/\n> /g, '\n')));
}

describe('keeping Discord messages and files in the library (real process, Discord double)', () => {
  let double: DiscordDouble;
  let bot: BotProcess;
  let docs: string;

  beforeAll(async () => {
    docs = mkdtempSync(path.join(tmpdir(), 'archivist-kept-docs-'));
    cpSync(path.join(REPO_ROOT, 'tests/fixtures/bot-docs'), docs, { recursive: true });
    double = await startDiscordDouble({ heartbeatIntervalMs: 2000 });
    bot = await startBotProcess(double, {
      docsDir: docs,
      env: { WATCH_DOCS: '0', LIBRARY_ROLE_ID: double.roles.librarian, LIBRARY_MAX_UPLOAD_MB: '1' },
    });
    await double.waitFor(() => double.commands.get(double.guildId)?.some((c) => c.name === 'Add to library'), 10_000, 'guild commands');
    // The members each test acts as: a moderator (Manage Messages), a manager (Manage Server), and a
    // member of the library role (no permission of its own).
    double.user('mod', { roles: [double.roles.moderator] });
    double.user('boss', { roles: [double.roles.manager] });
    double.user('librarian', { roles: [double.roles.librarian] });
  }, 180_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) await bot.stop('SIGKILL');
    await double?.close();
    if (docs) rmSync(docs, { recursive: true, force: true });
  });

  const kept = () => (existsSync(path.join(docs, 'discord')) ? readdirSync(path.join(docs, 'discord')).filter((f) => !f.startsWith('.')) : []);
  const final = (record: InteractionRecord) => double.waitForFinal(record, 60_000);
  const shown = (record: InteractionRecord) => String(double.shown(record)!.content);

  async function ask(question: string, user: string): Promise<Json> {
    const record = await final(double.slash('ask', { question, results: 5 }, { user }));
    return record.original!.embeds[0];
  }

  it('registers the two message commands (Manage Messages) and /library (Manage Server)', async () => {
    const commands = double.commands.get(double.guildId)!;
    const byName = (name: string) => commands.find((c) => c.name === name)!;
    expect(byName('Add to library')).toMatchObject({ type: 3, default_member_permissions: MANAGE_MESSAGES });
    expect(byName('Remove from library')).toMatchObject({ type: 3, default_member_permissions: MANAGE_MESSAGES });
    expect(byName('library')).toMatchObject({ type: 1, default_member_permissions: MANAGE_GUILD });
    expect(byName('library').options.map((o: Json) => o.name)).toEqual(['add', 'remove', 'list']);
    expect(double.violations).toEqual([]);
    // What Discord stored reads as the same commands: the next start-up does not register them again.
    const local = await loadCommands(memoryLogger());
    expect(sameCommands(commandBodies(local.values()), commands)).toBe(true);
  });

  it('refuses "Add to library" to a member without Manage Messages or the library role, storing nothing', async () => {
    const message = double.postMessage('The office wifi password rotates every Monday.', { user: 'chatty' });
    const record = await final(double.messageCommand('Add to library', message, { user: 'bystander' }));
    expect(record.ackType).toBe(4);
    expect(record.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(record.original!.content).toBe('Adding messages to the library needs the Manage Messages permission or the library role.');
    const remove = await final(double.messageCommand('Remove from library', message, { user: 'bystander' }));
    expect(remove.original!.content).toBe('Removing messages from the library needs the Manage Messages permission or the library role.');
    expect(kept()).toEqual([]);
  });

  it('keeps a message with its mentions as names; the next /ask quotes it with its jump link; removing it makes it unfindable', async () => {
    const alice = double.user('alice', { nick: 'Alice from Facilities' });
    const message = double.postMessage(
      `The espresso machine on floor 3 is descaled every second Tuesday; the descaling kit is kept in the cupboard labelled K7. Ask <@${alice.id}> or <@&${double.roles.moderator}> in <#${double.otherChannelId}>, @everyone.`,
      { user: 'barista' },
    );
    const add = await final(double.messageCommand('Add to library', message, { user: 'mod' }));
    expect(add.ackType).toBe(5);
    expect(add.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    const file = `general-${message.id}.md`;
    expect(shown(add)).toContain(`Added: the message “The espresso machine on floor 3 is descaled`);
    expect(shown(add)).toContain(`as \`discord/${file}\``);
    expect(shown(add)).toContain('Ask about it with `/ask`');
    expect(kept()).toEqual([file]);

    const stored = matter(readFileSync(path.join(docs, 'discord', file), 'utf8'));
    const jump = `https://discord.com/channels/${double.guildId}/${double.channelId}/${message.id}`;
    expect(stored.data).toMatchObject({ authors: ['Barista'], channel: '#general', url: jump, source: 'Discord #general' });
    expect(stored.data.title).toMatch(/^The espresso machine on floor 3/);
    expect(stored.data.date).toBe(new Date(message.timestamp).toISOString().slice(0, 10));
    expect(stored.content).toContain('Ask @Alice from Facilities or @Moderators in #questions, @\u200beveryone.');
    expect(stored.content).not.toMatch(/<@|<#|@everyone/);

    const answer = await ask('Where is the descaling kit for the espresso machine kept?', 'asker-1');
    const field = answer.fields.find((f: Json) => f.value.includes(`](${jump})`));
    expect(field, JSON.stringify(answer)).toBeDefined();
    expect(quotes(field.value).join(' ')).toContain('cupboard labelled K7');
    expect(field.value).toContain('[Discord #general — The espresso machine');

    const remove = await final(double.messageCommand('Remove from library', message, { user: 'mod' }));
    expect(shown(remove)).toBe(`Removed \`discord/${file}\` from the library. Answers no longer quote it.`);
    expect(kept()).toEqual([]);
    const after = await ask('Where is the descaling kit for the espresso machine kept?', 'asker-2');
    expect(JSON.stringify(after)).not.toContain('K7');
    expect(JSON.stringify(after)).not.toContain(jump);

    const again = await final(double.messageCommand('Remove from library', message, { user: 'mod' }));
    expect(shown(again)).toBe('This message is not in the library.');
  }, 120_000);

  it('keeps a whole thread in order, started from a message, when a member of the library role uses it on a reply', async () => {
    double.messageContentAccess = true;
    const starter = double.postMessage('Which VPN gateway should the Singapore office use?', { user: 'sam' });
    const thread = double.createThread('Singapore VPN gateway', { from: starter, user: 'sam' });
    double.user('priya', { nick: 'Priya (Network)' });
    const reply = double.postMessage('Use the gateway sg-edge-2, because sg-edge-1 is retired at the end of March.', { user: 'priya', channelId: thread.id });
    double.postMessage('Thanks, switching the office routers to sg-edge-2 today.', { user: 'sam', channelId: thread.id });
    const diagram = double.attach('topology.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    double.postMessage('', { user: 'priya', channelId: thread.id, attachments: [diagram] });

    const add = await final(double.messageCommand('Add to library', reply, { user: 'librarian' }));
    const file = `singapore-vpn-gateway-${thread.id}.md`;
    expect(shown(add)).toContain(`Added: the thread “Singapore VPN gateway” (4 messages), as \`discord/${file}\`. Messages with only attachments or embeds (1) are kept by file name, not read.`);
    const stored = matter(readFileSync(path.join(docs, 'discord', file), 'utf8'));
    const threadLink = `https://discord.com/channels/${double.guildId}/${thread.id}`;
    expect(stored.data).toMatchObject({ title: 'Singapore VPN gateway', thread: 'Singapore VPN gateway', channel: '#general', url: threadLink, authors: ['Sam', 'Priya (Network)'], messages: 4 });
    const order = ['Which VPN gateway should', 'Use the gateway sg-edge-2', 'Thanks, switching'].map((t) => stored.content.indexOf(t));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(stored.content).toMatch(/^<!-- Priya \(Network\), \d{4}-\d\d-\d\d \d\d:\d\d UTC, message \d+ -->$/m);
    expect(stored.content).toMatch(/^<!-- Priya \(Network\), .* UTC, message \d+; attachments: topology.png -->$/m);

    const answer = await ask('Which gateway should Singapore use?', 'asker-3');
    const field = (answer.fields ?? []).find((f: Json) => f.value.includes(`](${threadLink})`));
    expect(field, JSON.stringify(answer)).toBeDefined();
    expect(quotes(field.value).join(' ')).toContain('Use the gateway sg-edge-2');
    for (const quote of quotes(field.value)) expect(stored.content).toContain(quote);

    // Saving again from another message of the thread replaces the same document.
    const resave = await final(double.messageCommand('Add to library', starter, { user: 'librarian' }));
    expect(shown(resave)).toContain('Saved again (replacing the earlier copy)');
    expect(kept()).toEqual([file]);
  }, 120_000);

  it('refuses a thread whose messages come back without their text, and a message with only an attachment', async () => {
    double.messageContentAccess = false;
    const starter = double.postMessage('Who owns the staging database?', { user: 'sam' });
    const thread = double.createThread('Staging database owner', { from: starter, user: 'sam' });
    double.postMessage('The data platform team owns it.', { user: 'priya', channelId: thread.id });
    const before = kept();
    const add = await final(double.messageCommand('Add to library', starter, { user: 'mod' }));
    expect(shown(add)).toContain('I cannot read the whole thread: 1 of its 2 messages came without their text.');
    expect(shown(add)).toContain('Message Content intent');
    expect(shown(add)).toContain('Nothing was stored, rather than half of it.');

    const screenshot = double.attach('screenshot.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    const imageOnly = double.postMessage('', { user: 'sam', attachments: [screenshot] });
    const image = await final(double.messageCommand('Add to library', imageOnly, { user: 'mod' }));
    expect(shown(image)).toBe('This message has no text to keep, only attachments or embeds. To add a file, use `/library add`. Nothing was stored.');
    expect(kept()).toEqual(before);

    double.historyDenied.add(thread.id);
    const denied = await final(double.messageCommand('Add to library', starter, { user: 'mod' }));
    expect(shown(denied)).toBe("I cannot read the thread's messages: the bot needs the View Channel and Read Message History permissions there. Nothing was stored.");
    expect(kept()).toEqual(before);
  }, 60_000);

  it('/library add downloads a Markdown attachment into uploads/ and makes it answerable; list and remove', async () => {
    const text = '---\ntitle: Parking Policy\n---\n\nVisitors park on level B2 of the north garage; the gate code is issued by reception each morning.\n';
    const upload = double.attach('../../Parking Policy.md', text, 'text/markdown');
    const add = await final(double.slash('library', { add: { file: upload.id } }, { user: 'uploader' }));
    expect(shown(add)).toBe('Changing the library from Discord needs the Manage Server permission or the library role.');

    const added = await final(double.slash('library', { add: { file: upload.id } }, { user: 'boss' }));
    expect(added.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(shown(added)).toBe('Added `uploads/Parking-Policy.md`. Ask about it with `/ask`. To take it out: `/library remove file:uploads/Parking-Policy.md`.');
    expect(readFileSync(path.join(docs, 'uploads', 'Parking-Policy.md'), 'utf8')).toBe(text);
    expect(double.downloads).toContain(new URL(upload.url).pathname);
    const answer = await ask('Where do visitors park?', 'asker-4');
    expect(answer.fields.some((f: Json) => quotes(f.value).join(' ').includes('level B2 of the north garage'))).toBe(true);

    const same = await final(double.slash('library', { add: { file: upload.id } }, { user: 'boss' }));
    expect(shown(same)).toBe('This file is already in the library, as `uploads/Parking-Policy.md`. Nothing was added.');
    const other = double.attach('Parking Policy.txt', 'Staff park on level B3.\n', 'text/plain');
    const renamed = await final(double.slash('library', { add: { file: other.id } }, { user: 'boss' }));
    expect(shown(renamed)).toContain('Added `uploads/Parking-Policy-2.txt` (another file already had the name Parking-Policy.txt).');

    const list = await final(double.slash('library', { list: {} }, { user: 'boss' }));
    expect(shown(list)).toContain('`uploads/Parking-Policy.md`');
    expect(shown(list)).toContain('`uploads/Parking-Policy-2.txt`');

    const removed = await final(double.slash('library', { remove: { file: 'uploads/Parking-Policy.md' } }, { user: 'boss' }));
    expect(shown(removed)).toBe('Removed `uploads/Parking-Policy.md`; answers no longer quote it.');
    expect(existsSync(path.join(docs, 'uploads', 'Parking-Policy.md'))).toBe(false);
    const outside = await final(double.slash('library', { remove: { file: '../deploys.md' } }, { user: 'boss' }));
    expect(shown(outside)).toContain('is not a file added from Discord');
    expect(existsSync(path.join(docs, 'deploys.md'))).toBe(true);
  }, 120_000);

  it('/library add refuses file types the library cannot read and files over the size limit', async () => {
    const sheet = double.attach('budget.xlsx', 'not really a spreadsheet', 'application/vnd.ms-excel');
    const refused = await final(double.slash('library', { add: { file: sheet.id } }, { user: 'boss' }));
    expect(shown(refused)).toBe('"budget.xlsx" is a ".xlsx" file; the library reads PDF, Word (.docx), Markdown (.md), text (.txt) and HTML (.html). Nothing was added.');
    const big = double.attach('big.txt', 'x'.repeat(1024 * 1024 + 1), 'text/plain');
    const tooBig = await final(double.slash('library', { add: { file: big.id } }, { user: 'boss' }));
    expect(shown(tooBig)).toBe('The file is 1.0 MB; the limit is 1.0 MB. Nothing was added.');
    expect(double.downloads.some((p) => p.includes(big.id) || p.includes(sheet.id))).toBe(false);
    const uploads = path.join(docs, 'uploads');
    expect((existsSync(uploads) ? readdirSync(uploads) : []).filter((f) => /budget|big/.test(f))).toEqual([]);

    // Accepted by its type, but not a PDF anyone could read: stored, and the reply says it is not indexed.
    const broken = double.attach('scan.pdf', '%PDF-1.7 truncated', 'application/pdf');
    const stored = await final(double.slash('library', { add: { file: broken.id } }, { user: 'boss' }));
    expect(shown(stored)).toBe(
      'Added `uploads/scan.pdf`. It is stored, but not in the index: the library could not read it (the bot\'s log says why). `/library remove file:uploads/scan.pdf` takes it out.',
    );
  });

  it('sent every message with allowed_mentions parse [] and broke no Discord rule', () => {
    for (const { body } of double.contentBodies()) expect(body.allowed_mentions).toEqual({ parse: [] });
    // Only the history read the test denied on purpose.
    expect(double.violations.filter((v) => !v.what.startsWith('403'))).toEqual([]);
    expect(double.violations.map((v) => v.path)).toEqual(double.violations.map(() => expect.stringMatching(/^GET \/channels\/\d+\/messages/)));
  });
});
