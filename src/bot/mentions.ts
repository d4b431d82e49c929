import type { Message, MessageReplyOptions } from 'discord.js';
import { answerQuestion, checkQuestion } from './ask-service.js';
import type { CommandContext } from './context.js';
import { LibraryUnavailableError, UserError, describeError } from './errors.js';
import { NO_MENTIONS, safeContent } from './replies.js';
import { waitForLibrary } from './wait-for-library.js';

/**
 * The question in a message that mentions the bot: the content with the bot's `<@id>` / `<@!id>`
 * mentions removed. Null when the bot is not mentioned by id (an @everyone does not count).
 */
export function questionFromMention(content: string, botId: string): string | null {
  const mention = new RegExp(`<@!?${botId}>`, 'g');
  if (!mention.test(content)) return null;
  return content.replace(mention, ' ').replace(/\s+/g, ' ').trim();
}

export const MENTION_HELP =
  'Ask me a question after the mention, e.g. "@archivist how do we roll back a deploy?", or use `/ask`.';

/** Answers a message that mentions the bot, as a reply to that message. Never throws. */
export async function handleMention(message: Message, ctx: CommandContext): Promise<void> {
  const botId = ctx.client.user?.id;
  if (!botId || message.author.bot || message.webhookId || message.system) return;
  const question = questionFromMention(message.content, botId);
  if (question === null) return;
  // A progress note shown while the library loads; the answer then replaces it.
  let sent: Message | null = null;
  const reply = async (options: Pick<MessageReplyOptions, 'content' | 'embeds' | 'components'>) => {
    if (sent) {
      await sent.edit({ content: options.content ?? '', embeds: options.embeds ?? [], components: options.components ?? [], allowedMentions: NO_MENTIONS });
      return;
    }
    try {
      sent = await message.reply({ ...options, allowedMentions: NO_MENTIONS });
    } catch (error) {
      // The message may be gone, or replies not allowed: say it in the channel instead.
      ctx.log.warn('reply to mention failed; sending to the channel', describeError(error));
      if (message.channel.isSendable()) sent = await message.channel.send({ ...options, allowedMentions: NO_MENTIONS });
    }
  };
  try {
    if (question === '') {
      await reply({ content: safeContent(MENTION_HELP) });
      return;
    }
    const check = checkQuestion(ctx, question, message.author.id);
    if (!check.ok) {
      await reply({ content: safeContent(check.message) });
      return;
    }
    if (message.channel.isSendable()) void message.channel.sendTyping().catch(() => undefined);
    // After a restart the library may still be loading: the question waits for it.
    await waitForLibrary(ctx, (text) => reply({ content: safeContent(text) }));
    const parts = await answerQuestion(ctx, {
      question: check.question,
      userId: message.author.id,
      guildId: message.guildId,
      channelId: message.channelId,
      via: 'mention',
    });
    await reply({ content: parts.content, embeds: parts.embeds, components: parts.components });
  } catch (error) {
    const known = error instanceof UserError || error instanceof LibraryUnavailableError;
    if (!known) ctx.log.error('mention failed', { messageId: message.id, ...describeError(error) });
    await reply({ content: safeContent(known ? error.message : 'Something went wrong while answering; please try again.') }).catch(
      (again: unknown) => ctx.log.error('could not report a mention failure', describeError(again)),
    );
  }
}
