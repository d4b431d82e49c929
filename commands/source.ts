import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import type { CommandContext } from '../src/bot/context.js';
import { parseSourceId } from '../src/bot/custom-ids.js';
import { UserError } from '../src/bot/errors.js';
import { formatDocumentList, formatSourceView } from '../src/bot/format-source.js';
import { LIMITS, truncate } from '../src/bot/limits.js';
import { replyOptions, updateOptions } from '../src/bot/replies.js';

/** /source [ref] — a passage with its neighbours and its document; without a ref, the documents. */
export const data = new SlashCommandBuilder()
  .setName('source')
  .setDescription('Show a cited passage with its context, or list the indexed documents')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addStringOption((option) =>
    option.setName('ref').setDescription('A ref from an answer (e.g. handbook/onboarding:3); leave empty to list documents').setAutocomplete(true).setMaxLength(LIMITS.choiceValue),
  );

function view(ctx: CommandContext, ref: string) {
  const found = ctx.library().source(ref);
  if (!found) {
    throw new UserError(`No passage has the ref "${truncate(ref, 120)}". Refs look like \`document:3\`; start typing to pick one, or run \`/source\` with no ref to list the documents.`);
  }
  return formatSourceView(found);
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const ref = interaction.options.getString('ref')?.trim();
  if (ref) {
    await interaction.reply(replyOptions(view(ctx, ref)));
    return;
  }
  await interaction.reply(replyOptions(formatDocumentList(ctx.library().documents(), 0), true));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const typed = String(interaction.options.getFocused());
  const choices = ctx
    .library()
    .suggestRefs(typed, LIMITS.choices)
    .filter((s) => s.ref.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((s) => ({ name: truncate(s.label.replace(/\s+/g, ' ').trim() || s.ref, LIMITS.choiceName), value: s.ref }));
  await interaction.respond(choices);
}

/** ◀ ▶ through the document list, and previous/next passage: the message is updated in place. */
export async function handleComponent(interaction: MessageComponentInteraction, ctx: CommandContext): Promise<void> {
  const parsed = parseSourceId(interaction.customId);
  if (!parsed) throw new UserError('This button is no longer active.');
  if (parsed.action === 'list') {
    await interaction.update(updateOptions(formatDocumentList(ctx.library().documents(), parsed.page)));
    return;
  }
  if (parsed.ref === null) {
    await interaction.reply({ content: 'This button has expired (the bot restarted). Use `/source` to look the passage up.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  await interaction.update(updateOptions(view(ctx, parsed.ref)));
}
