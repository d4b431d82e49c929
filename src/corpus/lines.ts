import type { TextBuilder } from './builder.js';

/** Indentation, bullet or number, spacing: the marker stays in the text, the block starts after it. */
const LIST_ITEM = /^([ \t]*(?:[-*+•‣◦▪●]|\d{1,9}[.)])[ \t]+)\S/;
const BLANK = /^[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const COMMENT_START = /^ {0,3}<!--/;
/** A line ending in two spaces or a backslash: a hard line break in Markdown. */
const HARD_BREAK = /(?: {2,}|\\)$/;
const TABLE_ROW = /^\s*\|/;
const INDENTED_CODE = /^(?: {4}|\t)/;

/**
 * Writes plain-text or Markdown lines into the builder. Plain text keeps every body line as it is.
 * Markdown loses only block markup: `#` heading markers, setext underlines, code fences, thematic breaks,
 * and HTML comments on lines of their own (invisible when rendered; Node.js's docs keep their
 * version history in them, with lines that would read as list items).
 * Inline markup (emphasis, links) stays: Discord renders it, and quotes must match the source.
 * The lines of a Markdown paragraph or list item are joined as Markdown renders them (joinLines).
 */
export function parseLines(lines: string[], b: TextBuilder, opts: { markdown: boolean }): void {
  let open: 'paragraph' | 'item' | null = null;
  let paragraphLines: string[] = [];
  const slugs = new Map<string, number>();

  const close = (): void => {
    if (open === 'paragraph') {
      b.block(opts.markdown ? joinLines(paragraphLines, { item: false }) : paragraphLines.join('\n'));
      b.append('\n');
    } else if (open === 'item') {
      b.append((opts.markdown ? joinLines(paragraphLines, { item: true }) : paragraphLines.join('\n')) + '\n');
      b.closeBlock({ listItem: true });
    }
    open = null;
    paragraphLines = [];
  };
  const heading = (level: number, title: string): void => {
    b.heading(level, title, { anchor: uniqueSlug(title, slugs) });
    b.append('\n');
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      close();
      // Runs of blank lines (and those around a left-out comment) are one paragraph break.
      if (!b.atBlankLine) b.append('\n');
      continue;
    }
    if (opts.markdown) {
      const fence = FENCE.exec(line);
      if (fence) {
        close();
        i = codeBlock(lines, i, fence[1]!, b);
        continue;
      }
      const atx = ATX_HEADING.exec(line);
      if (atx) {
        close();
        heading(atx[1]!.length, atx[2] ?? '');
        continue;
      }
      if (open === 'paragraph' && paragraphLines.length === 1 && SETEXT_UNDERLINE.test(line)) {
        const title = paragraphLines[0]!;
        open = null;
        paragraphLines = [];
        heading(line.trim().startsWith('=') ? 1 : 2, title);
        continue;
      }
      if (THEMATIC_BREAK.test(line)) {
        close();
        continue;
      }
      if (COMMENT_START.test(line)) {
        close();
        while (i < lines.length - 1 && !lines[i]!.includes('-->')) i++;
        continue;
      }
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      close();
      b.append(item[1]!);
      b.openBlock();
      paragraphLines = [line.slice(item[1]!.length)];
      open = 'item';
    } else if (open === 'item') {
      paragraphLines.push(line);
    } else {
      open = 'paragraph';
      paragraphLines.push(line);
    }
  }
  close();
}

/**
 * The lines of a Markdown paragraph or list item as one text, as Markdown renders them: a line
 * break is a space (hard-wrapped docs would otherwise be quoted line by line), except after a line
 * ending in two spaces or a backslash (a hard break, kept; the backslash is markup). Table rows and
 * indented code keep their lines, as the parser knows neither.
 */
function joinLines(lines: string[], opts: { item: boolean }): string {
  if (lines.some((line) => TABLE_ROW.test(line) || (!opts.item && INDENTED_CODE.test(line)))) return lines.join('\n');
  let text = lines[0]!;
  for (let i = 1; i < lines.length; i++) {
    const hard = HARD_BREAK.test(text);
    text = text.replace(/\\$/, '').trimEnd() + (hard ? '\n' : ' ') + lines[i]!.trimStart();
  }
  return text;
}

/** Consumes a fenced code block from line `i`; the fences themselves are markup and stay out. */
function codeBlock(lines: string[], i: number, fence: string, b: TextBuilder): number {
  const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
  b.openBlock();
  let j = i + 1;
  for (; j < lines.length && !closing.test(lines[j]!); j++) b.append(lines[j]! + '\n');
  b.closeBlock({ kind: 'code' });
  return j;
}

/** GitHub-style heading slug, numbered when repeated, so anchors match what renderers link to. */
function uniqueSlug(title: string, seen: Map<string, number>): string {
  const base = title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}
