import { escapeMarkdown } from 'discord.js';

const ZWSP = '\u200b';

/**
 * Breaks mention syntax textually, so quoted text can never ping even if allowed_mentions were lost:
 * `@everyone`/`@here` and `<@id>`, `<@!id>`, `<@&id>`, `<#id>`, `</cmd:id>`, custom emoji and timestamps.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(?=[@#/:]|a:|t:|id:)/g, `<${ZWSP}`);
}

/** Text shown as-is in Discord: markdown escaped (including headings, lists, links, quotes) and mentions broken. */
export function escapeText(text: string): string {
  let out = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
  out = out.replace(/^([ \t]*)(>|-#)/gm, '$1\\$2');
  return neutralizeMentions(out);
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
  const href = safeUrl(url);
  const text = escapeText(label);
  return href ? `[${text.replace(/(?<!\\)[[\]]/g, (c) => `\\${c}`)}](${href})` : text;
}

/** Inline code for a ref, or escaped text when the ref itself contains a backtick. */
export function inlineCode(text: string): string {
  return text.includes('`') ? escapeText(text) : `\`${text}\``;
}

/** Undoes escapeText (for tests and for reading refs back): drops the zero-width spaces and backslashes. */
export function unescapeText(text: string): string {
  return text.split(ZWSP).join('').replace(/\\([^A-Za-z0-9\s])/g, '$1');
}
