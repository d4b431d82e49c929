import { Client, Events, GatewayIntentBits, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction, type Message } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTENTS, startDiscordDouble, type DiscordDouble } from './discord-double/index.js';

/** The test double against an unmodified discord.js client: does it speak enough Discord? */

const flush = () => new Promise((resolve) => setTimeout(resolve, 50));

async function connect(double: DiscordDouble, intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]): Promise<Client> {
  const client = new Client({ intents, rest: { api: double.apiUrl } });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(double.token);
  await ready;
  return client;
}

describe('discord test double with discord.js', () => {
  let double: DiscordDouble;
  let client: Client;
  const seen: ChatInputCommandInteraction[] = [];
  const messages: Message[] = [];
  let handler: (interaction: ChatInputCommandInteraction) => Promise<void> = async () => undefined;

  beforeAll(async () => {
    double = await startDiscordDouble({ heartbeatIntervalMs: 300 });
    client = await connect(double);
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push(interaction);
      void handler(interaction).catch(() => undefined);
    });
    client.on(Events.MessageCreate, (message) => void messages.push(message));
  });

  afterAll(async () => {
    await client?.destroy();
    await double?.close();
  });

  it('identifies with the requested intents and caches the guild, its channels, roles and members', () => {
    const identify = double.frames.find((f) => f.dir === 'in' && f.op === 2)!;
    expect(identify.d.token).toBe('[token]');
    expect(identify.d.intents).toBe(INTENTS.Guilds | INTENTS.GuildMessages);
    const guild = client.guilds.cache.get(double.guildId)!;
    expect(guild.name).toBe('Archivist Test Server');
    expect(guild.channels.cache.get(double.channelId)?.isTextBased()).toBe(true);
    expect(guild.roles.cache.get(double.adminRoleId)?.permissions.has(PermissionFlagsBits.Administrator)).toBe(true);
    expect(guild.members.me?.id).toBe(double.botUser.id);
    expect(client.application?.id).toBe(double.application.id);
    expect(double.requests.find((r) => r.path === '/gateway/bot')?.authorized).toBe(true);
  });

  it('acknowledges heartbeats', async () => {
    await double.waitFor(() => double.frames.some((f) => f.dir === 'in' && f.op === 1), 3000, 'a heartbeat');
    await double.waitFor(() => client.ws.ping >= 0, 3000, 'a heartbeat ACK');
  });

  it('delivers slash commands with typed options and member permissions, and records the reply', async () => {
    handler = async (interaction) => {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: `n=${interaction.options.getInteger('n')}`, allowedMentions: { parse: [] } });
    };
    double.commands.set(double.guildId, [
      { id: '1234567890123456789', name: 'count', description: 'x', type: 1, options: [{ type: 4, name: 'n', description: 'n' }] },
    ]);
    const record = double.slash('count', { n: 3 }, { user: 'boss', admin: true });
    await double.waitForFinal(record);
    const interaction = seen.at(-1)!;
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(record.ackType).toBe(5);
    expect(record.original).toMatchObject({ content: 'n=3', flags: MessageFlags.Ephemeral });
    expect(record.edits[0]!.body.allowed_mentions).toEqual({ parse: [] });

    const plain = double.slash('count', { n: 1 }, { user: 'pleb' });
    await double.waitForFinal(plain);
    expect(seen.at(-1)!.memberPermissions?.has(PermissionFlagsBits.Administrator)).toBe(false);
  });

  it('nests subcommands and resolves channel options', async () => {
    let got = '';
    handler = async (interaction) => {
      got = `${interaction.options.getSubcommand()} ${interaction.options.getChannel('where')?.id} ${interaction.options.getString('time')}`;
      await interaction.reply({ content: 'ok', allowedMentions: { parse: [] } });
    };
    double.commands.set(double.guildId, [
      ...double.commands.get(double.guildId)!,
      {
        id: '1234567890123456790',
        name: 'plan',
        description: 'x',
        type: 1,
        options: [{ type: 1, name: 'set', description: 's', options: [{ type: 7, name: 'where', description: 'w' }, { type: 3, name: 'time', description: 't' }] }],
      },
    ]);
    const record = double.slash('plan', { set: { where: double.otherChannelId, time: '09:00' } });
    await double.waitForFinal(record);
    expect(got).toBe(`set ${double.otherChannelId} 09:00`);
    expect(record.payload.data.resolved.channels[double.otherChannelId].name).toBe('questions');
  });

  it('refuses a second acknowledgement, a late one, and messages over the limits', async () => {
    handler = async (interaction) => {
      await interaction.reply({ content: 'one' });
      await interaction.client.rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 4, data: { content: 'two' } }, auth: false }).catch(() => undefined);
      await interaction.followUp({ content: 'x'.repeat(2001) }).catch(() => undefined);
    };
    const record = double.slash('count', { n: 1 });
    await double.waitFor(() => record.callbacks.length === 2 && double.requests.some((r) => r.status === 400 && r.violations.some((v) => v.includes('2001'))), 5000, 'refusals');
    expect(record.callbacks.map((c) => c.status)).toEqual([204, 400]);

    const late = await startDiscordDouble({ ackDeadlineMs: 100 });
    const lateClient = await connect(late);
    lateClient.on(Events.InteractionCreate, async (interaction) => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (interaction.isRepliable()) await interaction.deferReply().catch(() => undefined);
    });
    const slow = late.slash('count');
    await late.waitFor(() => slow.callbacks.length === 1, 5000, 'the late callback');
    expect(slow.callbacks[0]!.status).toBe(404);
    expect(slow.ackAt).toBeUndefined();
    await lateClient.destroy();
    await late.close();
    double.violations.length = 0;
  });

  it('withholds message content unless the bot is mentioned (no Message Content intent)', async () => {
    double.postMessage('nobody sees this text');
    double.postMessage('{bot} what is the VPN?');
    await double.waitFor(() => messages.length >= 2, 3000, 'two messages');
    expect(messages.at(-2)!.content).toBe('');
    expect(messages.at(-1)!.content).toBe(`<@${double.botUser.id}> what is the VPN?`);
    expect(messages.at(-1)!.mentions.users.has(double.botUser.id)).toBe(true);
  });

  it('resumes after a dropped connection and replays what was missed', async () => {
    const before = messages.length;
    double.dropConnection();
    double.postMessage('{bot} sent while disconnected');
    await double.waitForSession(10_000, double.identifies + double.resumes + 1);
    expect(double.resumes).toBe(1);
    await double.waitFor(() => messages.length > before, 3000, 'the replayed message');
    expect(messages.at(-1)!.content).toContain('sent while disconnected');
    const resumeFrame = double.frames.find((f) => f.dir === 'in' && f.op === 6)!;
    expect(resumeFrame.d.token).toBe('[token]');
    await flush();
  });

  it('starts a new session when the connection is closed with 1000', async () => {
    const identifies = double.identifies;
    double.dropConnection({ mode: 'close', code: 1000 });
    await double.waitFor(() => double.identifies === identifies + 1 && double.connected, 15_000, 're-identify');
    handler = async (interaction) => {
      await interaction.reply({ content: 'back', allowedMentions: { parse: [] } });
    };
    const record = double.slash('count', { n: 2 });
    await double.waitForFinal(record);
    expect(record.original?.content).toBe('back');
  }, 20_000);

  it('answers a RESUME it will not honour with INVALID_SESSION, and the client identifies again', async () => {
    const strict = await startDiscordDouble({ rejectResume: true });
    const other = await connect(strict);
    const readyAgain = new Promise((resolve) => other.once(Events.ShardReady, resolve));
    strict.dropConnection();
    // discord.js waits out its identify throttle (5 s) before identifying again.
    await strict.waitFor(() => strict.identifies === 2 && strict.connected, 15_000, 're-identify after INVALID_SESSION');
    // Destroyed between its IDENTIFY and the READY, discord.js reconnects instead of stopping, and
    // destroy() never resolves: the client must have seen READY first.
    await readyAgain;
    expect(strict.frames.some((f) => f.dir === 'in' && f.op === 6)).toBe(true);
    expect(strict.frames.some((f) => f.dir === 'out' && f.op === 9 && f.d === false)).toBe(true);
    expect(strict.resumes).toBe(0);
    await other.destroy();
    await strict.close();
  }, 20_000);

  it('closes IDENTIFY with privileged intents the app was not granted (4014)', async () => {
    const strict = await startDiscordDouble();
    const greedy = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent], rest: { api: strict.apiUrl } });
    await expect(greedy.login(strict.token)).rejects.toThrow(/disallowed|intent/i);
    expect(strict.identifies).toBe(0);
    await greedy.destroy();
    const wrong = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: strict.apiUrl } });
    await expect(wrong.login('bad.token.value')).rejects.toThrow();
    await wrong.destroy();
    await strict.close();
  });

  it('recorded no violations in the normal flow', () => {
    expect(double.violations).toEqual([]);
    expect(double.requests.filter((r) => r.path.startsWith('/webhooks') || r.path.startsWith('/interactions')).every((r) => !r.authorized)).toBe(true);
  });
});
