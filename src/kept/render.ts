import matter from 'gray-matter';
import { neutralizeMentions } from '../bot/markdown.js';

/** One Discord message as it is kept: who said what, when. */
export interface KeptMessage {
  id: string;
  /** Display name of the author (server nickname, else global name, else username). */
  author: string;
  at: Date;
  /** The raw Discord content, mentions still in `<@id>` form. */
  content: string;
  /** File names of its attachments: listed, not downloaded. */
  attachments: string[];
}

/** A message, or a thread's messages in order, to be kept as one document. */
export interface KeptConversation {
  /** The message id that names the file: the saved message's, or the thread's (its starter message's). */
  key: string;
  /** The channel, or the thread, the conversation is in: names the file. */
  place: string;
  /** The channel's name (the thread's parent for a thread). */
  channel: string;
  /** The thread's name when the conversation is a thread. */
  thread: string | null;
  /** Jump link to the saved message (a thread's starter message). */
  url: string;
  messages: KeptMessage[];
}

/** How mentions are written in the kept text: by name, so quoting them later pings no one. */
export interface MentionNames {
  user(id: string): string | undefined;
  role(id: string): string | undefined;
  channel(id: string): string | undefined;
}

export const KEPT_FOLDER = 'discord';
const TITLE_MAX = 90;

/** Lower-case words joined by hyphens, ASCII only; "channel" when nothing is left. */
export function slug(text: string, max = 40): string {
  const out = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return out || 'channel';
}

/** Path of a conversation's document, relative to the docs folder. */
export function keptPath(conversation: Pick<KeptConversation, 'place' | 'key'>): string {
  return `${KEPT_FOLDER}/${slug(conversation.place)}-${conversation.key}.md`;
}

/**
 * Discord's mention syntax as names: `<@id>` as @name, `<@&id>` as @role, `<#id>` as #channel,
 * `</cmd:id>` as /cmd, custom emoji as :name:, timestamps as UTC dates. @everyone and @here (also a
 * display name that reads so) are broken with a zero-width space, like everything the bot sends.
 */
export function renderMentions(text: string, names: MentionNames): string {
  const named = text
    .replace(/<@!?(\d{15,22})>/g, (_, id: string) => `@${names.user(id) ?? 'unknown-user'}`)
    .replace(/<@&(\d{15,22})>/g, (_, id: string) => `@${names.role(id) ?? 'unknown-role'}`)
    .replace(/<#(\d{15,22})>/g, (_, id: string) => `#${names.channel(id) ?? 'unknown-channel'}`)
    .replace(/<\/([-_\p{L}\p{N} ]{1,100}):\d{15,22}>/gu, '/$1')
    .replace(/<a?:(\w{1,32}):\d{15,22}>/g, ':$1:')
    .replace(/<t:(-?\d{1,13})(?::[tTdDfFR])?>/g, (_, seconds: string) => utc(new Date(Number(seconds) * 1000)));
  return neutralizeMentions(named);
}

/**
 * A message's code fence left open is closed at its end: Discord shows the rest as text, but in the
 * document it would turn the following messages into code.
 */
export function closeFences(text: string): string {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (!fence) continue;
    if (open === null) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = null;
  }
  return open === null ? text : `${text}\n${open}`;
}

/** An HTML comment on a line of its own: nothing inside can end it early or span lines. */
function comment(text: string): string {
  return `<!-- ${neutralizeMentions(text).replace(/\s+/g, ' ').replace(/--+>?/g, '-')} -->`;
}

function utc(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'an unknown time' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The first line with text, without Markdown block markers; a long one cut after its first sentence, else at a word. */
function firstLine(text: string): string {
  const line = text
    .split('\n')
    .map((l) => l.replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|-#\s+)/, '').replace(/[*_`~|]/g, '').trim())
    .find((l) => l !== '');
  if (!line) return '';
  if (line.length <= TITLE_MAX) return line;
  const sentence = /^.{20,}?[.!?](?=\s)/.exec(line.slice(0, TITLE_MAX + 1));
  if (sentence) return sentence[0];
  const cut = line.slice(0, TITLE_MAX);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_MAX / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The Markdown document for a conversation: front matter (title, authors, channel, date, url, and
 * source "Discord #channel" so citations say where it was said), then each message's text as written
 * (Discord's Markdown is Markdown). Who wrote it, when, and its attachments' names go in an HTML
 * comment line above it, which the loader leaves out: as a line of text it would be quoted with the
 * message before it (the quote picker joins a line without a sentence end to its neighbours).
 */
export function renderConversation(conversation: KeptConversation, names: MentionNames): { path: string; title: string; markdown: string } {
  const first = conversation.messages[0];
  if (!first) throw new Error('a conversation to keep needs at least one message');
  const bodies = conversation.messages.map((m) => closeFences(renderMentions(m.content.replace(/\r\n?/g, '\n'), names).trim()));
  const channel = neutralizeMentions(conversation.channel);
  const title = neutralizeMentions(conversation.thread ?? '') || firstLine(bodies.find((b) => b !== '') ?? '') || `Message in #${channel}`;
  const authors = [...new Set(conversation.messages.map((m) => neutralizeMentions(m.author)))];
  const sections = conversation.messages.map((m, i) => {
    const attachments = m.attachments.length > 0 ? `; attachments: ${m.attachments.join(', ')}` : '';
    return `${comment(`${m.author}, ${utc(m.at)}, message ${m.id}${attachments}`)}\n\n${bodies[i]}\n`;
  });
  const data = {
    title,
    authors,
    channel: `#${channel}`,
    ...(conversation.thread ? { thread: neutralizeMentions(conversation.thread) } : {}),
    date: first.at.toISOString().slice(0, 10),
    url: conversation.url,
    source: `Discord #${channel}`,
    messages: conversation.messages.length,
  };
  return { path: keptPath(conversation), title, markdown: matter.stringify(sections.join('\n'), data) };
}
