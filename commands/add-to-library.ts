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
import { writeKept } from '../src/kept/docs-folder.js';
import { gatherConversation } from '../src/kept/from-discord.js';
import { reindexUntil, hasDocument } from '../src/kept/reindex.js';
import { renderConversation } from '../src/kept/render.js';

/** "Add to library" on a message: keeps it (or its thread) as a document in DOCS_DIR/discord/. */
export const data = new ContextMenuCommandBuilder()
  .setName('Add to library')
  .setType(ApplicationCommandType.Message)
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages);

export async function execute(interaction: MessageContextMenuCommandInteraction, ctx: CommandContext): Promise<void> {
  const { roleId } = runtimeOf(ctx).config.library;
  if (!mayChangeLibrary(interaction, PermissionFlagsBits.ManageMessages, roleId)) {
    ctx.log.warn('add to library refused', { user: interaction.user.id, guild: interaction.guildId });
    await tellUser(interaction, `Adding messages to the library needs ${whoMay('Manage Messages', roleId)}.`);
    return;
  }
  ctx.library(); // while the index is still loading this throws, and the user is told so before any deferral
  // Reading a thread and re-indexing can take longer than Discord's 3 s.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const gathered = await gatherConversation(ctx.client, interaction.targetMessage);
  if (!gathered.ok) {
    ctx.log.info('add to library: not kept', { message: interaction.targetId, reason: gathered.reason });
    await tellUser(interaction, gathered.reason);
    return;
  }
  const { conversation } = gathered;
  const doc = renderConversation(conversation, gathered.names);
  const state = await writeKept(ctx.config.docsDir, doc.path, doc.markdown);
  ctx.log.info('kept from discord', { path: doc.path, state, messages: conversation.messages.length, user: interaction.user.id });

  const what = conversation.thread
    ? `the thread “${doc.title}” (${conversation.messages.length} messages)`
    : `the message “${doc.title}”`;
  const stored = `${state === 'added' ? 'Added' : 'Saved again (replacing the earlier copy)'}: ${what}, as \`${doc.path}\`.`;
  const notes =
    (gathered.ownAnswersLeftOut > 0 ? ` My own answers in it (${gathered.ownAnswersLeftOut}) were left out.` : '') +
    (gathered.attachmentsOnly > 0 ? ` Messages with only attachments or embeds (${gathered.attachmentsOnly}) are kept by file name, not read.` : '');
  try {
    const { indexed } = await reindexUntil(() => ctx.library(), hasDocument(doc.path));
    await tellUser(
      interaction,
      indexed
        ? `${stored}${notes} Ask about it with \`/ask\`: answers quote it with a link back to the ${conversation.thread ? 'thread' : 'message'}. To take it out, use “Remove from library” on the message.`
        : `${stored}${notes} It is not in the index, though: the bot's log says why.`,
    );
  } catch (error) {
    ctx.log.error('re-index after add to library failed', describeError(error));
    await tellUser(interaction, `${stored}${notes} Re-indexing failed (${error instanceof Error ? error.message : String(error)}); it will be indexed with the next re-index.`);
  }
}
