import { DiscordAPIError, RESTJSONErrorCodes, type Client, type Guild, type Message, type ThreadChannel } from 'discord.js';
import type { KeptConversation, KeptMessage, MentionNames } from './render.js';

/** More than this many messages in a thread are not kept: a document is for an answer, not a log. */
export const MAX_THREAD_MESSAGES = 500;

export type Gathered =
  | { ok: true; conversation: KeptConversation; names: MentionNames; ownAnswersLeftOut: number; attachmentsOnly: number }
  | { ok: false; reason: string };

export const INTENT_HINT =
  'Discord withholds message text from bots without the Message Content intent: turn it on for the bot in the Developer Portal (Bot → Privileged Gateway Intents).';

/**
 * The conversation "Add to library" keeps for `target`: the thread it starts or sits in, its messages
 * in order (the starter first), else the message alone. Refused, with the reason, when a message came
 * without its text (Discord withholds it without the Message Content intent), or when the message
 * alone is only attachments or embeds. In a thread, a message of attachments only is kept by file name.
 */
export async function gatherConversation(client: Client, target: Message): Promise<Gathered> {
  // Taken before any fetch: discord.js patches its cached Message in place with what REST returns,
  // which is no text at all without the Message Content intent. The interaction carried the full text.
  const targetText = { content: target.content, attachments: [...target.attachments.values()].map((a) => a.name), extras: target.embeds.length + target.stickers.size };
  const thread = await threadOf(client, target);
  let messages: Message[];
  try {
    messages = thread ? await threadMessages(thread, target) : [target];
  } catch (error) {
    if (!(error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.MissingAccess || error.code === RESTJSONErrorCodes.MissingPermissions))) throw error;
    return { ok: false, reason: 'I cannot read the thread\'s messages: the bot needs the View Channel and Read Message History permissions there. Nothing was stored.' };
  }
  const textOf = (m: Message) =>
    m.id === target.id ? targetText : { content: m.content, attachments: [...m.attachments.values()].map((a) => a.name), extras: m.embeds.length + m.stickers.size };
  if (thread && messages.length > MAX_THREAD_MESSAGES) {
    return { ok: false, reason: `The thread has more than ${MAX_THREAD_MESSAGES} messages; save the messages that answer the question one by one instead.` };
  }
  const own = messages.filter((m) => m.author.id === client.user?.id);
  const kept = messages.filter((m) => m.author.id !== client.user?.id);
  if (kept.length === 0) return { ok: false, reason: 'These are my own answers: they already come from the library.' };

  const withoutText = kept.filter((m) => textOf(m).content.trim() === '');
  const attachmentsOnly = withoutText.filter((m) => textOf(m).attachments.length > 0 || textOf(m).extras > 0);
  const withheld = withoutText.length - attachmentsOnly.length;
  if (!thread && withoutText.length > 0) {
    return {
      ok: false,
      reason: withheld > 0
        ? `I cannot read this message's text. ${INTENT_HINT} Nothing was stored.`
        : 'This message has no text to keep, only attachments or embeds. To add a file, use `/library add`. Nothing was stored.',
    };
  }
  if (withheld > 0) {
    return {
      ok: false,
      reason: `I cannot read the whole thread: ${withheld} of its ${kept.length} messages came without their text. ${INTENT_HINT} Nothing was stored, rather than half of it.`,
    };
  }
  if (attachmentsOnly.length === kept.length) return { ok: false, reason: 'The thread has no text to keep, only attachments or embeds. Nothing was stored.' };

  const guild = target.guild;
  const authors = await displayNames(guild, kept);
  const conversation: KeptConversation = {
    key: thread ? thread.id : target.id,
    place: thread ? thread.name : channelName(client, target.channelId),
    channel: thread ? channelName(client, thread.parentId ?? thread.id) : channelName(client, target.channelId),
    thread: thread ? thread.name : null,
    url: thread ? thread.url : target.url,
    messages: kept.map(
      (m): KeptMessage => ({
        id: m.id,
        author: authors.get(m.author.id) ?? m.author.displayName,
        at: m.createdAt,
        content: textOf(m).content,
        attachments: textOf(m).attachments,
      }),
    ),
  };
  return { ok: true, conversation, names: mentionNames(client, guild, kept, authors), ownAnswersLeftOut: own.length, attachmentsOnly: attachmentsOnly.length };
}

/** The thread `target` sits in, or the one it starts; null for a message outside threads. */
export async function threadOf(client: Client, target: Message): Promise<ThreadChannel | null> {
  const here = await client.channels.fetch(target.channelId).catch(() => null);
  if (here?.isThread()) return here;
  if (!target.hasThread) return null;
  const started = await client.channels.fetch(target.id).catch(() => null);
  return started?.isThread() ? started : null;
}

/**
 * A thread's messages, oldest first, its starter message (in the parent channel) first of all. The
 * target comes from the interaction, which carries its text even when REST withholds it.
 */
async function threadMessages(thread: ThreadChannel, target: Message): Promise<Message[]> {
  const byId = new Map<string, Message>();
  let before: string | undefined;
  while (byId.size <= MAX_THREAD_MESSAGES) {
    const page = await thread.messages.fetch({ limit: 100, ...(before ? { before } : {}) });
    for (const m of page.values()) byId.set(m.id, m);
    if (page.size < 100) break;
    before = [...page.keys()].reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b));
  }
  if (!byId.has(thread.id)) {
    // A thread started from a message: that message lives in the parent channel. Forced past the
    // cache, which holds it as the gateway sent it: without its text, lacking the Message Content intent.
    const parent = thread.parent;
    const starter = parent?.isTextBased() ? await parent.messages.fetch({ message: thread.id, force: true }).catch(() => null) : null;
    if (starter) byId.set(starter.id, starter);
  }
  byId.set(target.id, target);
  return [...byId.values()].filter((m) => !m.system).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** Server nicknames where the member can be looked up (messages from REST carry none), else global names. */
async function displayNames(guild: Guild | null, messages: Message[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const m of messages) {
    if (out.has(m.author.id)) continue;
    const member = m.member ?? (guild ? await guild.members.fetch(m.author.id).catch(() => null) : null);
    out.set(m.author.id, member?.displayName ?? m.author.displayName);
  }
  return out;
}

function channelName(client: Client, id: string): string {
  const channel = client.channels.cache.get(id);
  return channel && 'name' in channel && typeof channel.name === 'string' ? channel.name : id;
}

function mentionNames(client: Client, guild: Guild | null, messages: Message[], authors: Map<string, string>): MentionNames {
  return {
    user: (id) => {
      if (authors.has(id)) return authors.get(id);
      for (const m of messages) {
        const named = m.mentions.members?.get(id)?.displayName ?? m.mentions.users.get(id)?.displayName;
        if (named) return named;
      }
      return guild?.members.cache.get(id)?.displayName ?? client.users.cache.get(id)?.displayName;
    },
    role: (id) => guild?.roles.cache.get(id)?.name,
    channel: (id) => {
      const channel = client.channels.cache.get(id);
      return channel && 'name' in channel && typeof channel.name === 'string' ? channel.name : undefined;
    },
  };
}
