import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import { answerQuestion, checkQuestion } from '../src/bot/ask-service.js';
import type { CommandContext } from '../src/bot/context.js';
import { parseAskId } from '../src/bot/custom-ids.js';
import { waitForLibrary } from '../src/bot/wait-for-library.js';
import { UserError } from '../src/bot/errors.js';
import { formatSourceView } from '../src/bot/format-source.js';
import { MAX_QUESTION_CHARS } from '../src/search/validate-question.js';
import { NO_MENTIONS, editOptions, replyOptions, tellUser } from '../src/bot/replies.js';

/** /ask question:<text> [results:<1-10>] [private:<bool>] — quotes with citations, or "not found". */
export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask the library: the answer quotes the documents verbatim, with citations')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addStringOption((option) =>
    option.setName('question').setDescription('What do you want to know?').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
  )
  .addIntegerOption((option) =>
    option.setName('results').setDescription('How many passages to quote (1-10)').setMinValue(1).setMaxValue(10),
  )
  .addBooleanOption((option) => option.setName('private').setDescription('Only you see the answer'));

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const check = checkQuestion(ctx, interaction.options.getString('question', true), interaction.user.id);
  if (!check.ok) {
    await tellUser(interaction, check.message);
    return;
  }
  const results = interaction.options.getInteger('results');
  const ephemeral = interaction.options.getBoolean('private') ?? false;
  // Searching can take longer than Discord's 3 s, and a library still loading after a restart much
  // longer (Discord allows 15 min after a deferral): acknowledge first, then edit the reply.
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  await waitForLibrary(ctx, (text) => interaction.editReply({ content: text, allowedMentions: NO_MENTIONS }));
  const parts = await answerQuestion(ctx, {
    question: check.question,
    ...(results === null ? {} : { k: Math.min(10, Math.max(1, results)) }),
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    via: 'slash',
  });
  await interaction.editReply(editOptions(parts));
}

/** "Full passage" (ephemeral passage view) and 👍/👎 (stored against the question id). */
export async function handleComponent(interaction: MessageComponentInteraction, ctx: CommandContext): Promise<void> {
  const parsed = parseAskId(interaction.customId);
  if (!parsed) throw new UserError('This button is no longer active.');
  if (parsed.action === 'feedback') {
    await ctx.questionLog.recordFeedback(parsed.questionId, interaction.user.id, parsed.vote);
    ctx.log.info('feedback recorded', { question: parsed.questionId, user: interaction.user.id, vote: parsed.vote });
    await interaction.reply({
      content: parsed.vote === 'up' ? 'Thanks! Recorded 👍 for this answer.' : 'Thanks! Recorded 👎; it helps improve the library.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  if (parsed.ref === null) throw new UserError('This button has expired (the bot restarted). Use `/source` to look the passage up.');
  const view = ctx.library().source(parsed.ref);
  if (!view) throw new UserError('That passage is no longer in the library (it may have been re-indexed). Ask again to get fresh refs.');
  await interaction.reply(replyOptions(formatSourceView(view), true));
}
