import type { APIEmbed, APIEmbedField, MessageMentionOptions } from 'discord.js';
import { ELLIPSIS, fitRendered, LIMITS } from '../bot/limits.js';
import { escapeText, inlineCode } from '../bot/markdown.js';
import { NO_MENTIONS } from '../bot/replies.js';
import { isEmptyDigest, type Digest, type DigestDocumentEntry } from './digest.js';
import { askedTimes, day, documentMeta, figuresLine, missReason, plural, SECTION } from './wording.js';

/** What the bot sends: never pings anyone, whatever the quoted documents or questions contain. */
export interface DigestMessage {
  content?: string;
  embeds: APIEmbed[];
  allowedMentions: MessageMentionOptions;
}

/** Quotes and questions are cut shorter than Discord allows so that several fit in one message. */
const QUOTE_CHARS = 300;
const QUESTION_CHARS = 200;
const COLOUR = 0x5865f2;
/** A field name Discord accepts but shows as nothing. */
const BLANK = '\u200b';

/** Escaped for Discord on one line, cut at a sentence or word boundary so that the escaped text fits `max`. */
function shown(text: string, max: number): string {
  const { rendered, cut } = fitRendered(text.replace(/\s+/g, ' ').trim(), max - ELLIPSIS.length, escapeText);
  return cut ? rendered + ELLIPSIS : rendered;
}

/** A Discord timestamp: each reader sees it in their own time zone. */
const when = (iso: string) => `<t:${Math.floor(Date.parse(iso) / 1000)}:f>`;

/** The digest as one embed message within Discord's limits; an empty period is one line. */
export function renderDiscord(digest: Digest): DigestMessage {
  if (isEmptyDigest(digest)) {
    return {
      content: `📭 Nothing new since ${when(digest.period.since)}: no documents were added or changed and no questions were asked.`,
      embeds: [],
      allowedMentions: NO_MENTIONS,
    };
  }
  // Titles and footers show markdown and <t:…> timestamps literally, so the date is written out.
  const title = `📚 Digest for ${day(digest.period.until, digest.timezone)}`;
  const fields = [...mostAskedFields(digest), ...notFoundField(digest)].slice(0, LIMITS.embedFields);
  const footer = figuresLine(digest.figures);
  const used = title.length + footer.length + fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  const description = libraryText(digest, Math.min(LIMITS.embedDescription, LIMITS.embedTotal - used));
  return {
    embeds: [{ title, description, fields, footer: { text: footer }, timestamp: digest.period.until, color: COLOUR }],
    allowedMentions: NO_MENTIONS,
  };
}

function libraryText(digest: Digest, budget: number): string {
  const lines = [`*Since ${when(digest.period.since)}*`];
  if (digest.lateFor) lines.push(`⏰ *Late: due ${when(digest.lateFor)}, posted once the bot was back.*`);
  lines.push('', `**${SECTION.library}**`);
  if (digest.library.length === 0) lines.push('No documents were added or changed.');
  return fitEntries(lines.join('\n'), digest.library.map(documentText), budget, '\n\n', (n) => `… and ${plural(n, 'more document')}.`);
}

function documentText(entry: DigestDocumentEntry): string {
  const meta = documentMeta(entry);
  const head = `**${shown(entry.title, LIMITS.embedTitle)}**${meta ? ` · ${shown(meta, LIMITS.embedTitle)}` : ''}`;
  return [head, ...entry.points.map((p) => `> “${shown(p.text, QUOTE_CHARS)}” ${inlineCode(p.ref)}`)].join('\n');
}

/** One field per question, so each quote has its own 1,024 characters; only the first carries the heading. */
function mostAskedFields(digest: Digest): APIEmbedField[] {
  return digest.mostAsked.map((q, i) => ({
    name: i === 0 ? SECTION.mostAsked : BLANK,
    value: [
      `**${shown(q.question, QUESTION_CHARS)}**${askedTimes(q.count)}`,
      `> “${shown(q.quote.text, QUOTE_CHARS)}”`,
      `${shown(q.quote.title, QUESTION_CHARS)} ${inlineCode(q.quote.ref)}`,
    ].join('\n'),
  }));
}

function notFoundField(digest: Digest): APIEmbedField[] {
  if (digest.notFound.length === 0) return [];
  const lines = digest.notFound.map((q) => `• ${shown(q.question, QUESTION_CHARS)}${askedTimes(q.count)}: ${missReason(q)}`);
  return [{ name: SECTION.notFound, value: fitEntries('', lines, LIMITS.fieldValue, '\n', (n) => `… and ${n} more.`) }];
}

/** The head and as many whole entries as fit in `budget`, then a line saying how many were left out. */
function fitEntries(head: string, entries: string[], budget: number, separator: string, more: (n: number) => string): string {
  let text = head;
  for (const [i, entry] of entries.entries()) {
    const next = text ? `${text}${separator}${entry}` : entry;
    const left = entries.length - i - 1;
    if (next.length + (left > 0 ? more(left).length + 1 : 0) > budget) return `${text}\n${more(entries.length - i)}`.trim();
    text = next;
  }
  return text;
}
