import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { runtimeOf, type CommandContext } from '../src/bot/context.js';
import { describeError } from '../src/bot/errors.js';
import { tellUser } from '../src/bot/replies.js';
import { mayChangeLibrary, whoMay } from '../src/kept/access.js';
import { keptFilesFor, removeLibraryFile } from '../src/kept/docs-folder.js';
import { threadOf } from '../src/kept/from-discord.js';
import { reindexUntil } from '../src/kept/reindex.js';

/** "Remove from library" on a kept message, or on any message of a kept thread: deletes its document. */
export const data = new ContextMenuCommandBuilder()
  .setName('Remove from library')
  .setType(ApplicationCommandType.Message)
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages);

export async function execute(interaction: MessageContextMenuCommandInteraction, ctx: CommandContext): Promise<void> {
  const { roleId } = runtimeOf(ctx).config.library;
  if (!mayChangeLibrary(interaction, PermissionFlagsBits.ManageMessages, roleId)) {
    ctx.log.warn('remove from library refused', { user: interaction.user.id, guild: interaction.guildId });
    await tellUser(interaction, `Removing messages from the library needs ${whoMay('Manage Messages', roleId)}.`);
    return;
  }
  ctx.library();
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const thread = await threadOf(ctx.client, interaction.targetMessage);
  const keys = [...new Set([thread?.id, interaction.targetId].filter((key): key is string => key !== undefined))];
  const files = (await Promise.all(keys.map((key) => keptFilesFor(ctx.config.docsDir, key)))).flat();
  if (files.length === 0) {
    await tellUser(interaction, `This ${thread ? 'thread' : 'message'} is not in the library.`);
    return;
  }
  for (const rel of files) await removeLibraryFile(ctx.config.docsDir, rel);
  ctx.log.info('removed from the library', { paths: files.join(','), user: interaction.user.id });
  const removed = `Removed \`${files.join('`, `')}\` from the library.`;
  try {
    const { indexed } = await reindexUntil(
      () => ctx.library(),
      (library) => !library.documents().some((doc) => files.includes(doc.path)),
    );
    await tellUser(interaction, indexed ? `${removed} Answers no longer quote it.` : `${removed} The index still has it; it goes with the next re-index.`);
  } catch (error) {
    ctx.log.error('re-index after remove from library failed', describeError(error));
    await tellUser(interaction, `${removed} Re-indexing failed (${error instanceof Error ? error.message : String(error)}); it goes with the next re-index.`);
  }
}
