import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { runtimeOf, type CommandContext } from '../src/bot/context.js';
import { rateLimitMessage } from '../src/bot/rate-limit.js';
import { UserError } from '../src/bot/errors.js';
import { LIMITS, truncate } from '../src/bot/limits.js';
import { NO_MENTIONS, tellUser } from '../src/bot/replies.js';
import { canonicalTimeZone, nextSlot, parseTimeOfDay } from '../src/digest/daily-time.js';
import { renderDiscord, type DigestMessage } from '../src/digest/render-discord.js';
import { DIGEST_SERVICE, DigestService } from '../src/digest/service.js';

/** /digest — the daily digest: subscribe a channel or stop it (Manage Server), post it now, or preview it (anyone). */
export const data = new SlashCommandBuilder()
  .setName('digest')
  .setDescription('The daily digest: new documents, the most asked questions, and what was not found')
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) =>
    sub
      .setName('subscribe')
      .setDescription('Post the digest in a channel every day (Manage Server)')
      .addChannelOption((o) =>
        o.setName('channel').setDescription('Where to post it').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addStringOption((o) => o.setName('time').setDescription('Local time of day, HH:MM (24-hour), e.g. 09:00').setRequired(true).setMaxLength(5))
      .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin (default: the bot\'s DIGEST_TZ, else UTC)').setAutocomplete(true)),
  )
  .addSubcommand((sub) => sub.setName('unsubscribe').setDescription('Stop the daily digest (Manage Server)'))
  .addSubcommand((sub) => sub.setName('now').setDescription('Post the digest in this channel now'))
  .addSubcommand((sub) => sub.setName('preview').setDescription('Show the digest as it would read now, only to you'));

export const NEEDS_MANAGE_SERVER = 'Changing the digest subscription needs the Manage Server permission.';

export const WAITING_FOR_LIBRARY = 'The bot has just started: the digest begins once the library has loaded. Waiting for it…';

/**
 * The digest service. The bot starts it once the library has loaded (main.ts registers a promise
 * of it until then): a command that arrives before is deferred, says what it waits for, and goes on.
 */
async function digestService(interaction: ChatInputCommandInteraction, ctx: CommandContext, ephemeral: boolean): Promise<DigestService> {
  const registered = ctx.services.get(DIGEST_SERVICE);
  if (registered instanceof DigestService) return registered;
  if (!(registered instanceof Promise)) throw new UserError('The digest is not running on this bot.');
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  await interaction.editReply({ content: WAITING_FOR_LIBRARY, allowedMentions: NO_MENTIONS });
  const service: unknown = await registered;
  if (!(service instanceof DigestService)) throw new UserError('The digest is not running on this bot.');
  return service;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  if (!interaction.inGuild()) throw new UserError('The digest works in servers only.');
  const subcommand = interaction.options.getSubcommand();
  if ((subcommand === 'subscribe' || subcommand === 'unsubscribe') && !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    // Discord sets default permissions per command, not per subcommand: /digest now and preview are
    // for everyone, so the subscription subcommands check here.
    ctx.log.warn('digest subscription change refused', { user: interaction.user.id, guild: interaction.guildId, subcommand });
    await tellUser(interaction, NEEDS_MANAGE_SERVER);
    return;
  }
  // Only /digest now posts for everyone to see; the others answer the user alone.
  const service = await digestService(interaction, ctx, subcommand !== 'now');
  switch (subcommand) {
    case 'subscribe':
      await subscribe(interaction, service);
      break;
    case 'unsubscribe':
      await respond(interaction, ephemeral((await service.unsubscribe(interaction.guildId)) ? 'The daily digest is stopped.' : 'There was no daily digest to stop.'));
      break;
    case 'now': {
      // A public post anyone may ask for: it counts against the same per-user limit as a question.
      const runtime = runtimeOf(ctx);
      const slot = runtime.limiter.take(interaction.user.id);
      if (!slot.ok) {
        await tellUser(interaction, rateLimitMessage(slot.retryAfterMs, runtime.limiter));
        return;
      }
      if (!interaction.deferred) await interaction.deferReply();
      await interaction.editReply(edit(renderDiscord(await service.pending(interaction.guildId))));
      break;
    }
    case 'preview':
      await preview(interaction, service);
      break;
    default:
      throw new UserError(`Unknown subcommand "${subcommand}".`);
  }
  // A scheduled post that failed is reported to the next person who uses /digest in that server.
  const notices = await service.takeFailureNotices(interaction.guildId);
  if (notices.length > 0) await interaction.followUp(ephemeral(notices.join('\n')));
}

async function subscribe(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, service: DigestService): Promise<void> {
  const time = parseTimeOfDay(interaction.options.getString('time', true));
  if (!time) throw new UserError('Give the time as HH:MM on a 24-hour clock, e.g. 09:00 or 17:30.');
  const zoneOption = interaction.options.getString('timezone');
  const timezone = zoneOption === null ? service.settings.timezone : canonicalTimeZone(zoneOption);
  if (!timezone) throw new UserError(`"${zoneOption}" is not a time zone I know; use an IANA name such as Europe/Berlin.`);
  const channel = interaction.options.getChannel('channel', true, [ChannelType.GuildText, ChannelType.GuildAnnouncement]);
  const subscription = await service.subscribe({ guildId: interaction.guildId, channelId: channel.id, time, timezone, createdBy: interaction.user.id });
  const next = nextSlot(subscription, new Date());
  await respond(
    interaction,
    ephemeral(`Subscribed: the digest will be posted in <#${channel.id}> every day at ${time} (${timezone})${next ? `, next on <t:${Math.floor(next.getTime() / 1000)}:F>` : ''}.`),
  );
}

async function preview(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, service: DigestService): Promise<void> {
  if (!interaction.deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const subscription = await service.subscription(interaction.guildId);
  const where = subscription
    ? `Posted daily in <#${subscription.channelId}> at ${subscription.time} (${subscription.timezone}). It would read now:`
    : 'No daily digest is set up in this server (`/digest subscribe`). It would read now:';
  const message = renderDiscord(await service.pending(interaction.guildId));
  await interaction.editReply(edit({ ...message, content: [where, message.content].filter(Boolean).join('\n') }));
}

export async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const typed = interaction.options.getFocused().toLowerCase();
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')].filter((zone) => zone.toLowerCase().includes(typed)).slice(0, 25);
  await interaction.respond(zones.map((zone) => ({ name: zone, value: zone })));
}

/** A reply, or the edit of the reply deferred while the digest was waiting for the library. */
async function respond(interaction: ChatInputCommandInteraction, message: ReturnType<typeof ephemeral>): Promise<void> {
  if (interaction.deferred) await interaction.editReply({ content: message.content, allowedMentions: NO_MENTIONS });
  else await interaction.reply(message);
}

/** Our own wording only: safeContent would also break the channel mentions and timestamps it shows. */
function ephemeral(text: string) {
  return { content: truncate(text, LIMITS.content), flags: MessageFlags.Ephemeral as const, allowedMentions: NO_MENTIONS };
}

function edit(message: DigestMessage) {
  return { content: message.content ?? '', embeds: message.embeds, allowedMentions: NO_MENTIONS };
}
