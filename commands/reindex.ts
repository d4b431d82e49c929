import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { runtimeOf, type CommandContext } from '../src/bot/context.js';
import { describeError } from '../src/bot/errors.js';
import { formatReindexReport } from '../src/bot/format-status.js';
import { editOptions, tellUser } from '../src/bot/replies.js';

/** /reindex — administrators only: picks up changed documents; answers continue from the old index meanwhile. */
export const data = new SlashCommandBuilder()
  .setName('reindex')
  .setDescription('Re-index the docs folder (administrators only); answers continue meanwhile')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.Administrator);

export const REFUSED = 'Only server administrators can re-index the library.';

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  // Default member permissions hide the command, but server admins can override that: check again here.
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)) {
    ctx.log.warn('reindex refused', { user: interaction.user.id, guild: interaction.guildId });
    await tellUser(interaction, REFUSED);
    return;
  }
  const runtime = runtimeOf(ctx);
  if (runtime.reindex.running) {
    await tellUser(interaction, 'A re-index is already running; its result will be posted where it was started.');
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const library = ctx.library();
  ctx.log.info('reindex started', { user: interaction.user.id, guild: interaction.guildId });
  const running = library.reindex();
  runtime.reindex.running = running;
  try {
    const report = await running;
    ctx.log.info('reindex finished', { ...report });
    await interaction.editReply(editOptions(formatReindexReport(report, library.status())));
  } catch (error) {
    ctx.log.error('reindex failed', describeError(error));
    await tellUser(interaction, `The re-index failed: ${error instanceof Error ? error.message : String(error)}. Answers still come from the previous index.`);
  } finally {
    runtime.reindex.running = null;
  }
}
