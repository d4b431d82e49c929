/** Discord's message limits, and truncation that cuts at a sentence or word boundary. Pure functions. */

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

export const ELLIPSIS = '…';

/** Index <= max that does not split a UTF-16 surrogate pair. */
function safeIndex(text: string, index: number): number {
  if (index <= 0 || index >= text.length) return Math.max(0, Math.min(index, text.length));
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

const SENTENCE_END = /[.!?…]["'”’)\]]*(?=\s)|\n/g;

/**
 * The longest prefix of `text` no longer than `max` that ends at a sentence end (kept when it keeps at
 * least half of `max`), else at a word boundary (same rule), else a hard cut. Trailing spaces are dropped.
 */
export function cutAtBoundary(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  const window = text.slice(0, max + 1);
  let sentence = -1;
  for (const match of window.matchAll(SENTENCE_END)) {
    const end = match[0] === '\n' ? match.index : match.index + match[0].length;
    if (end <= max) sentence = end;
  }
  if (sentence >= max * 0.5) return text.slice(0, sentence).trimEnd();
  let word = -1;
  for (let i = Math.min(max, window.length - 1); i > 0; i--) {
    if (/\s/.test(window[i]!)) {
      word = i;
      break;
    }
  }
  if (word >= max * 0.5) return text.slice(0, word).trimEnd();
  return text.slice(0, safeIndex(text, max));
}

/** The mirror of cutAtBoundary: the longest suffix no longer than `max` that starts a sentence or a word. */
export function cutStartAtBoundary(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  const from = text.length - max;
  const window = text.slice(from - 1);
  // A sentence start: just after a sentence end and its spaces.
  const sentence = /(?:[.!?…]["'”’)\]]*|\n)\s+/g;
  for (const match of window.matchAll(sentence)) {
    const start = from - 1 + match.index + match[0].length;
    if (start >= from && text.length - start >= max * 0.5) return text.slice(start).trimStart();
    if (start >= from) break;
  }
  for (let i = from; i < text.length; i++) {
    if (/\s/.test(text[i - 1] ?? ' ') && !/\s/.test(text[i]!)) {
      if (text.length - i >= max * 0.5) return text.slice(i);
      break;
    }
  }
  let start = from;
  const code = text.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start += 1;
  return text.slice(start);
}

/**
 * Shortens plain text to at most `max` characters: cut at a boundary, then the ellipsis and `suffix`
 * (for example " full passage: /source ref:x"). Text that fits is returned unchanged.
 */
export function truncate(text: string, max: number, suffix = ''): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length - suffix.length;
  if (room <= 0) return (ELLIPSIS + suffix).slice(0, max);
  return cutAtBoundary(text, room).trimEnd() + ELLIPSIS + suffix;
}

/**
 * The longest boundary-cut prefix of `raw` whose rendering (escaping lengthens text) fits in `max`
 * characters. `fromStart` keeps a suffix instead (for text leading up to a quote).
 */
export function fitRendered(
  raw: string,
  max: number,
  render: (text: string) => string,
  options: { fromStart?: boolean } = {},
): { text: string; rendered: string; cut: boolean } {
  const whole = render(raw);
  if (whole.length <= max) return { text: raw, rendered: whole, cut: false };
  const cut = options.fromStart ? cutStartAtBoundary : cutAtBoundary;
  let budget = Math.min(raw.length - 1, max);
  for (let attempt = 0; attempt < 40 && budget > 0; attempt++) {
    const text = cut(raw, budget);
    const rendered = render(text);
    if (rendered.length <= max) return { text, rendered, cut: true };
    // Shrink in proportion to the overshoot, and at least by one character.
    const next = Math.floor((budget * max) / rendered.length) - 1;
    budget = Math.min(next, budget - 1);
  }
  return { text: '', rendered: '', cut: true };
}

/** The number of characters Discord counts towards the 6,000 limit for these embeds. */
export function embedLength(
  embeds: Array<{
    title?: string;
    description?: string;
    fields?: Array<{ name: string; value: string }>;
    footer?: { text: string };
    author?: { name: string };
  }>,
): number {
  let total = 0;
  for (const embed of embeds) {
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
    total += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
    for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  }
  return total;
}
