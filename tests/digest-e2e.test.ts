import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEEDS_MANAGE_SERVER } from '../commands/digest.js';
import { runBot, type BotHandle } from '../src/bot/run.js';
import { loadConfig } from '../src/config.js';
import type { DigestService } from '../src/digest/service.js';
import { digestSettings } from '../src/digest/settings.js';
import { librarySources } from '../src/digest/sources.js';
import { startDigest } from '../src/digest/start.js';
import { openLibrary, type Library } from '../src/library.js';
import { createLogger } from '../src/log.js';
import type { Records } from '../src/records/records.js';
import { openSqliteRecords } from '../src/records/sqlite/open.js';
import { startDiscordDouble, type DiscordDouble, type InteractionRecord } from './discord-double/index.js';
import { SEEDS_DIR } from './helpers/seed-library.js';

/**
 * The digest through the bot runtime and the Discord double: /digest subscribe from a non-admin
 * (refused) and an admin, questions asked with /ask and a 👎, then the scheduled minute comes on
 * the real clock and croner's timer posts the digest into the channel.
 */

const EPHEMERAL = 64;

/**
 * A slash command with a subcommand. The double's slash() sends options flat, so this builds the
 * nested payload (with the resolved channel, as Discord sends it) and injects it the same way.
 */
function slashSubcommand(
  double: DiscordDouble,
  subcommand: string,
  options: Array<{ name: string; type: number; value: string }>,
  as: { user: string; admin: boolean },
): InteractionRecord {
  const definition = double.commands.get(double.guildId)!.find((c) => c.name === 'digest')!;
  const channels = options.filter((o) => o.type === 7).map((o) => [o.value, { id: o.value, name: 'questions', type: 0, permissions: '0' }]);
  const data = {
    id: definition.id,
    name: 'digest',
    type: 1,
    guild_id: double.guildId,
    options: [{ name: subcommand, type: 1, options }],
    ...(channels.length > 0 ? { resolved: { channels: Object.fromEntries(channels) } } : {}),
  };
  const factory = double as unknown as { nextInteraction(type: number, user: unknown, data: unknown): InteractionRecord };
  const record = factory.nextInteraction(2, double.user(as.user, { admin: as.admin }), data);
  record.name = 'digest';
  double.dispatch('INTERACTION_CREATE', record.payload);
  record.dispatchedAt = Date.now();
  return record;
}

/** HH:MM (UTC) of the next minute that leaves at least 5 s to subscribe first. */
function nextUsableMinute(): { time: string; at: number } {
  const at = Math.ceil((Date.now() + 5_000) / 60_000) * 60_000;
  return { time: new Date(at).toISOString().slice(11, 16), at };
}

describe('digest end to end (bot runtime + Discord double)', () => {
  let double: DiscordDouble;
  let bot: BotHandle;
  let library: Library;
  let records: Records;
  let digest: DigestService;
  const lines: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-digest-e2e-'));

  beforeAll(async () => {
    const log = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const config = loadConfig(
      { DOCS_DIR: SEEDS_DIR, INDEX_DIR: path.join(dir, 'index'), DATA_DIR: path.join(dir, 'data'), EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', MODEL_CACHE_DIR: path.join(dir, 'models') },
      dir,
    );
    double = await startDiscordDouble();
    library = await openLibrary({ config, log });
    records = openSqliteRecords({ dataDir: config.dataDir, log });
    // The wiring main.ts needs: the records' question log into the bot, then the digest once serving.
    const services = new Map<string, unknown>();
    bot = await runBot({
      config,
      token: double.token,
      log,
      library,
      questionLog: records.questionLog,
      services,
      env: { DISCORD_API_URL: double.apiUrl, DISCORD_GUILD_ID: double.guildId },
      processHandlers: false,
    });
    await bot.serving;
    digest = await startDigest({ client: bot.client, records, sources: librarySources(() => library), log, services, settings: digestSettings({}) });
    await double.waitFor(() => double.commands.get(double.guildId)?.some((c) => c.name === 'digest'), 10_000, 'commands registered');
  }, 120_000);

  afterAll(async () => {
    digest?.stop();
    await bot?.stop('tests done');
    await records?.close();
    await double?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers /digest for everyone with its four subcommands (subscribing is checked when used)', () => {
    const command = double.commands.get(double.guildId)!.find((c) => c.name === 'digest')!;
    expect(command.default_member_permissions).toBeNull();
    expect(command.options.map((o: { name: string }) => o.name)).toEqual(['subscribe', 'unsubscribe', 'now', 'preview']);
  });

  it('logs questions asked with /ask, and the 👎 on an answer', async () => {
    for (const question of ['Where in Russia were most of the North Korean troops sent?', 'What is the weather in Paris tomorrow?', 'What kind of help has South Korea given Ukraine so far?']) {
      await double.waitForFinal(double.slash('ask', { question }, { user: 'asker' }));
    }
    const answered = [...double.interactions.values()].filter((r) => r.name === 'ask').at(-1)!;
    const down = answered.original!.components.flatMap((row: { components: Array<{ custom_id?: string }> }) => row.components).find((b: { custom_id?: string }) => b.custom_id?.endsWith(':down'));
    await double.waitForFinal(double.click(answered.original!, down.custom_id, { user: 'critic' }));
    const logged = await records.questionLog.between(new Date(Date.now() - 3600_000), new Date(Date.now() + 1000), double.guildId);
    expect(logged.map((q) => [q.answered, q.downvotes])).toEqual([
      [true, 0],
      [false, 0],
      [true, 1],
    ]);
  });

  it('refuses /digest subscribe from a member without Manage Server', async () => {
    const record = slashSubcommand(double, 'subscribe', [{ name: 'channel', type: 7, value: double.otherChannelId }, { name: 'time', type: 3, value: '09:00' }], { user: 'member', admin: false });
    const final = await double.waitForFinal(record);
    expect(double.shown(final)).toMatchObject({ content: NEEDS_MANAGE_SERVER, flags: EPHEMERAL });
    expect(await records.subscriptions.forGuild(double.guildId)).toBeNull();
  });

  it('an admin subscribes; when the minute comes the digest lands in the channel with every section', async () => {
    const { time, at } = nextUsableMinute();
    const record = slashSubcommand(
      double,
      'subscribe',
      [
        { name: 'channel', type: 7, value: double.otherChannelId },
        { name: 'time', type: 3, value: time },
        { name: 'timezone', type: 3, value: 'utc' },
      ],
      { user: 'boss', admin: true },
    );
    const final = await double.waitForFinal(record);
    expect(double.shown(final)!.content).toBe(
      `Subscribed: the digest will be posted in <#${double.otherChannelId}> every day at ${time} (UTC), next on <t:${at / 1000}:F>.`,
    );
    expect(double.channelMessages(double.otherChannelId)).toEqual([]);

    const [posted] = await double.waitFor(() => {
      const messages = double.channelMessages(double.otherChannelId);
      return messages.length > 0 && messages;
    }, at - Date.now() + 15_000, 'the scheduled digest');
    const postedAt = Date.parse(posted!.timestamp);
    console.log(`digest posted ${postedAt - at} ms after its scheduled minute`);
    expect(postedAt).toBeGreaterThanOrEqual(at);
    const embed = posted!.embeds[0];
    expect(embed.description).toContain('**New and changed in the library**');
    for (const title of ['N. Korean troops turn up in occupied Ukraine', 'North Korean troops on verge of entering Russia-Ukraine war', 'Forced displacement']) {
      expect(embed.description).toContain(`**${title}**`);
    }
    expect(embed.fields.map((f: { name: string }) => f.name)).toEqual(['Most asked', 'Not found']);
    expect(embed.fields[0].value).toContain('Where in Russia were most of the North Korean troops sent?');
    expect(embed.fields[1].value).toMatch(/What is the weather in Paris tomorrow\? — no confident answer/);
    expect(embed.fields[1].value).toMatch(/What kind of help has South Korea given Ukraine so far\? — 👎 1/);
    expect(embed.footer.text).toBe(`3 questions · 67% answered · 3 documents · ${library.status().passages} passages in the library`);
    expect(posted!.allowed_mentions).toEqual({ parse: [] });
    expect(double.violations).toEqual([]);
  }, 120_000);

  it('/digest now from a member counts against their question limit', async () => {
    // The bot runs with the default limit: 5 per 30 s.
    for (let i = 0; i < 5; i++) {
      const shown = double.shown(await double.waitForFinal(slashSubcommand(double, 'now', [], { user: 'eager', admin: false })))!;
      expect((shown.flags ?? 0) & EPHEMERAL).toBe(0); // posted in the channel
      expect(shown.content).toMatch(/Nothing new since/);
    }
    const refused = await double.waitForFinal(slashSubcommand(double, 'now', [], { user: 'eager', admin: false }));
    expect(double.shown(refused)).toMatchObject({ flags: EPHEMERAL });
    expect(double.shown(refused)!.content).toMatch(/^You're asking quickly: the limit is 5 questions per 30 s\./);
  });

  it('does not post that day again, and /digest preview (any member) continues from it', async () => {
    expect((await digest.scheduler.runDue()).map((o) => o.result)).toEqual(['already-claimed']);
    expect(double.channelMessages(double.otherChannelId)).toHaveLength(1);
    const final = await double.waitForFinal(slashSubcommand(double, 'preview', [], { user: 'member', admin: false }));
    const shown = double.shown(final)!;
    expect(shown.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(shown.content).toMatch(/^Posted daily in <#\d+> at \d\d:\d\d \(UTC\)\. It would read now:\n📭 Nothing new since/);
  });
});
