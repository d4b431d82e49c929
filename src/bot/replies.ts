import {
  MessageFlags,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type MessageComponentInteraction,
  type MessageMentionOptions,
  type RepliableInteraction,
} from 'discord.js';
import type { MessageParts } from './format-answer.js';
import { LIMITS, truncate } from './limits.js';
import { neutralizeMentions } from './markdown.js';

/** Sent with every message, reply, edit and follow-up: nothing the bot says can ping anyone. */
export const NO_MENTIONS: MessageMentionOptions = Object.freeze({ parse: [] as never[] });

/** Plain text for `content`: mentions broken textually, and no longer than Discord allows. */
export function safeContent(text: string): string {
  return truncate(neutralizeMentions(text), LIMITS.content);
}

export function replyOptions(parts: MessageParts, ephemeral = false): InteractionReplyOptions {
  return {
    content: parts.content,
    embeds: parts.embeds,
    components: parts.components,
    allowedMentions: NO_MENTIONS,
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

export function editOptions(parts: MessageParts): InteractionEditReplyOptions {
  return { content: parts.content ?? '', embeds: parts.embeds, components: parts.components, allowedMentions: NO_MENTIONS };
}

export function updateOptions(parts: MessageParts): InteractionUpdateOptions {
  return { content: parts.content ?? '', embeds: parts.embeds, components: parts.components, allowedMentions: NO_MENTIONS };
}

/**
 * A short message only the user sees, whatever state the interaction is in: a reply, an edit of an
 * ephemeral deferral, or (after a public deferral) the "thinking…" message removed and a follow-up.
 */
export async function tellUser(interaction: RepliableInteraction, text: string): Promise<void> {
  const content = safeContent(text);
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS });
    return;
  }
  if (interaction.deferred && !interaction.replied && !(interaction as MessageComponentInteraction).isMessageComponent?.()) {
    await interaction.deleteReply().catch(() => undefined);
  }
  await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
