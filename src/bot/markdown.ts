import { escapeMarkdown } from 'discord.js';

const ZWSP = '\u200b';

/**
 * Breaks mention syntax textually, so text can never ping even if allowed_mentions were lost:
 * `@everyone`/`@here` and `<@id>`, `<@!id>`, `<@&id>`, `<#id>`, `</cmd:id>`.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(?=[@#/])/g, `<${ZWSP}`);
}

/** Also breaks what Discord would render instead of the text: custom emoji, timestamps, guild navigation. */
function neutralizeRendering(text: string): string {
  return neutralizeMentions(text).replace(/<(?=:|a:|t:|id:)/g, `<${ZWSP}`);
}

/**
 * Escapes the `*` and `_` that escapeMarkdown left alone, outside URLs: any not already escaped (an odd
 * run of backslashes before it). One linear pass.
 */
function escapeStarsAndUnderscores(text: string): string {
  let out = '';
  let last = 0;
  for (const url of text.matchAll(/https?:\/\/[^\s<>]+/g)) {
    out += escapeLoose(text.slice(last, url.index)) + url[0];
    last = url.index + url[0].length;
  }
  return out + escapeLoose(text.slice(last));
}

function escapeLoose(text: string): string {
  let out = '';
  let backslashes = 0;
  for (const ch of text) {
    if ((ch === '*' || ch === '_') && backslashes % 2 === 0) out += '\\';
    backslashes = ch === '\\' ? backslashes + 1 : 0;
    out += ch;
  }
  return out;
}

/**
 * Text shown as-is in Discord: markdown escaped (including headings, lists, links, quotes) and mentions
 * broken. escapeMarkdown's italic rule uses unbounded lookbehinds (about 0.4 s on a 10,000-character
 * line), so italics are escaped by a linear pass instead: every `*` and `_` outside URLs.
 */
export function escapeText(text: string): string {
  let out = escapeMarkdown(text, { italic: false, heading: true, bulletedList: true, numberedList: true, maskedLink: true });
  out = escapeStarsAndUnderscores(out);
  out = out.replace(/^([ \t]*)(>|-#)/gm, '$1\\$2');
  return neutralizeRendering(out);
}

/** A link that is safe in a masked link: http(s) only, and no characters that would end the markdown. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20');
}

/** `[label](url)` when there is a safe URL, else the escaped label. */
export function maskedLink(label: string, url: string | null | undefined): string {
  return linked(escapeText(label), url);
}

/** `[rendered](url)` for a label already escaped (and perhaps shortened), or the label alone without a safe URL. */
export function linked(rendered: string, url: string | null | undefined): string {
  const href = safeUrl(url);
  return href ? `[${rendered.replace(/(?<!\\)[[\]]/g, (c) => `\\${c}`)}](${href})` : rendered;
}

/** Inline code for a ref, or escaped text when the ref itself contains a backtick. */
export function inlineCode(text: string): string {
  return text.includes('`') ? escapeText(text) : `\`${text}\``;
}

/** Undoes escapeText (for tests and for reading refs back): drops the zero-width spaces and backslashes. */
export function unescapeText(text: string): string {
  return text.split(ZWSP).join('').replace(/\\([^A-Za-z0-9\s])/g, '$1');
}
