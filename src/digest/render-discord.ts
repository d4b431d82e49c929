import type { APIEmbed, APIEmbedField, MessageMentionOptions } from 'discord.js';
import { ELLIPSIS, fitRendered, LIMITS } from '../bot/limits.js';
import { escapeText, inlineCode, linked } from '../bot/markdown.js';
import { NO_MENTIONS } from '../bot/replies.js';
import { isEmptyDigest, type Digest, type DigestDocumentEntry } from './digest.js';
import { askedTimes, day, documentMeta, figuresLine, missReason, nearestPart, plural, SECTION } from './wording.js';

/** What the bot sends: never pings anyone, whatever the quoted documents or questions contain. */
export interface DigestMessage {
  content?: string;
  embeds: APIEmbed[];
  allowedMentions: MessageMentionOptions;
}

/**
 * Shares of the 6,000 characters, so that every section shows even in a busy period: five most
 * asked fields (about 400 each) and "not found" (800, a line naming its nearest section) leave
 * the library section about 3,100.
 */
const POINT_CHARS = 300;
const TITLE_CHARS = 150;
const FIELD_QUESTION_CHARS = 120;
const FIELD_QUOTE_CHARS = 200;
const FIELD_TITLE_CHARS = 60;
const NOT_FOUND_CHARS = 800;
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
  if (digest.library.length + digest.libraryNotListed === 0) lines.push('No documents were added or changed.');
  const more = (n: number) => `… and ${plural(n, 'more document')}.`;
  return fitEntries(lines.join('\n'), digest.library.map(documentText), budget, '\n\n', more, digest.libraryNotListed);
}

function documentText(entry: DigestDocumentEntry): string {
  const meta = documentMeta(entry);
  // The title links to the document where it has an address (a web page, a kept Discord message).
  const head = `**${linked(shown(entry.title, TITLE_CHARS), entry.url)}**${meta ? ` · ${shown(meta, TITLE_CHARS)}` : ''}`;
  return [head, ...entry.points.map((p) => `> “${shown(p.text, POINT_CHARS)}” ${inlineCode(p.ref)}`)].join('\n');
}

/** One field per question, so that each reads as its own block; only the first carries the heading. */
function mostAskedFields(digest: Digest): APIEmbedField[] {
  return digest.mostAsked.map((q, i) => ({
    name: i === 0 ? SECTION.mostAsked : BLANK,
    value: [
      `**${shown(q.question, FIELD_QUESTION_CHARS)}**${askedTimes(q.count)}`,
      `> “${shown(q.quote.text, FIELD_QUOTE_CHARS)}”`,
      `${shown(q.quote.title, FIELD_TITLE_CHARS)} ${inlineCode(q.quote.ref)}`,
    ].join('\n'),
  }));
}

function notFoundField(digest: Digest): APIEmbedField[] {
  if (digest.notFound.length === 0) return [];
  const lines = digest.notFound.map(
    (q) => `• ${shown(q.question, FIELD_QUESTION_CHARS)}${askedTimes(q.count)} — ${missReason(q)}${nearestPart(q, (where) => shown(where, FIELD_TITLE_CHARS), inlineCode)}`,
  );
  return [{ name: SECTION.notFound, value: fitEntries('', lines, NOT_FOUND_CHARS, '\n', (n) => `… and ${n} more.`) }];
}

/**
 * The head and as many whole entries as fit in `budget`, then a line saying how many were left out
 * (those that did not fit plus `notListed`, left out before rendering).
 */
function fitEntries(head: string, entries: string[], budget: number, separator: string, more: (n: number) => string, notListed = 0): string {
  let text = head;
  let listed = 0;
  for (const entry of entries) {
    const next = text ? `${text}${separator}${entry}` : entry;
    const hidden = entries.length - listed - 1 + notListed;
    if (next.length + (hidden > 0 ? more(hidden).length + 1 : 0) > budget) break;
    text = next;
    listed++;
  }
  const hidden = entries.length - listed + notListed;
  return hidden > 0 ? `${text}\n${more(hidden)}`.trim() : text;
}
