/**
 * Turns the lines pdf.js reads from each page (pdf-extract.ts) into a document: running headers,
 * footers and page numbers dropped, lines joined into paragraphs (words hyphenated at a line end
 * joined again), headings from the outline or else from font size, every block on one page.
 */
import type { Block } from '../types.js';
import type { Parsed } from './builder.js';
import { PdfError, type OutlineEntry, type PdfContent, type PdfLine, type PdfPage } from './pdf-extract.js';

export interface PdfLayout {
  parsed: Parsed;
  /** Where each page's text lies in `parsed.text` (pages without text left out). */
  pages: Array<{ number: number; start: number; end: number }>;
  /** The running header and footer lines left out, per page number. */
  dropped: Map<number, string[]>;
}

interface Line extends PdfLine {
  page: number;
  /** Heading level, for a line that is (part of) a heading. */
  heading?: number;
}

/** A heading is at least this much larger than body text. */
const HEADING_RATIO = 1.15;
/** Running lines are looked for among this many lines at the top and at the bottom of each page. */
const EDGE_LINES = 2;
/** "12", "xiv", "Page 3 of 20", "- 7 -". */
const PAGE_NUMBER = /^(?:page\s+)?(?:\d+|(?=[ivxlc])(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3}))(?:\s*(?:of|\/)\s*\d+)?$|^[-–—]\s*\d+\s*[-–—]$/i;
/** A list item's start; word processors draw bullets from symbol fonts' private-use characters (U+F0B7). */
const BULLET = /^(?:[•◦▪‣∗*·–—\p{Co}-]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)/u;
/** What a heading may put before the outline's title, spaces removed: "2.1", "Appendix A", "Chapter 3.". */
const SECTION_NUMBER = /^(?:chapter|appendix|part|section)?(?:\d+|[a-z])?(?:\.\d+)*\.?$/i;
const SENTENCE_END = /[.!?:;][)"'’”]?$/;

export function layoutPdf(content: PdfContent): PdfLayout {
  const withText = content.pages.filter((page) => page.lines.length > 0);
  if (withText.length === 0) throw new PdfError('no text layer: scanned PDF?');
  const warnings: string[] = [];
  const empty = content.pages.filter((page) => page.lines.length === 0).map((page) => page.number);
  if (empty.length > 0 && content.pages.length > 1) {
    warnings.push(`${empty.length === 1 ? 'page' : 'pages'} ${listPages(empty)} ${empty.length === 1 ? 'has' : 'have'} no text layer (scanned?) and ${empty.length === 1 ? 'is' : 'are'} not indexed`);
  }
  const dropped = runningLines(withText);
  const lines: Line[] = withText.flatMap((page) => page.lines.filter((line) => !dropped.get(page.number)?.has(line)).map((line) => ({ ...line, page: page.number })));
  const body = bodySize(lines);
  const outlined = markOutlineHeadings(lines, content.outline);
  if (!outlined) markSizeHeadings(lines, body);
  const title = content.title ?? titleLine(lines, withText[0]!.number, body);
  const built = build(lines, wordsIn(lines), title);
  return {
    parsed: { ...built, title, keyPoints: [], warnings },
    pages: built.pages,
    dropped: new Map([...dropped].map(([page, set]) => [page, [...set].map((line) => line.text)])),
  };
}

function listPages(pages: number[]): string {
  return pages.length > 8 ? `${pages.slice(0, 8).join(', ')}, …` : pages.join(', ');
}

/**
 * Lines at a page's top or bottom that repeat, digits aside, at the same height on other pages
 * (a running header or footer, "GNU findutils 4.9.0 1"), and page numbers there. A line is running
 * when it repeats on a quarter of the pages and on three at least, or on every page of a short
 * document. A header that changes with the chapter ("Chapter 2: Syntax 3") repeats on few pages:
 * at the height of other running lines, starting or ending in a number, it is running too.
 */
function runningLines(pages: PdfPage[]): Map<number, Set<PdfLine>> {
  const band = (line: PdfLine) => Math.round(line.y / 3);
  const key = (line: PdfLine) => `${band(line)}|${line.text.replace(/\d+/g, '#').toLowerCase()}`;
  const edges = (page: PdfPage) => {
    const byHeight = [...page.lines].sort((a, b) => b.y - a.y);
    return { top: byHeight.slice(0, EDGE_LINES), bottom: byHeight.slice(-EDGE_LINES).reverse() };
  };
  const counts = new Map<string, number>();
  for (const page of pages) {
    const { top, bottom } = edges(page);
    for (const k of new Set([...top, ...bottom].map(key))) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const needed = pages.length <= 3 ? pages.length : Math.max(3, Math.ceil(pages.length / 4));
  const repeated = (line: PdfLine) => pages.length > 1 && (PAGE_NUMBER.test(line.text) || counts.get(key(line))! >= needed);

  // Only from the outside in: a repeated line below the page's first body line is body text.
  const peel = (page: PdfPage, running: (line: PdfLine) => boolean): Set<PdfLine> => {
    const set = new Set<PdfLine>();
    const { top, bottom } = edges(page);
    for (const line of top) {
      if (!running(line)) break;
      set.add(line);
    }
    for (const line of bottom) {
      if (set.has(line) || !running(line)) break;
      set.add(line);
    }
    return set;
  };
  const bands = new Set(pages.flatMap((page) => [...peel(page, repeated)].map(band)));
  const numbered = (line: PdfLine) => bands.has(band(line)) && /^\d+\s|\s\d+$/.test(line.text);
  const dropped = new Map<number, Set<PdfLine>>();
  for (const page of pages) {
    const set = peel(page, (line) => repeated(line) || numbered(line));
    // A page of nothing but such lines is left whole rather than left out.
    if (set.size > 0 && set.size < page.lines.length) dropped.set(page.number, set);
  }
  return dropped;
}

/** The size most of the text is set in. */
function bodySize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(round(line.size), (chars.get(round(line.size)) ?? 0) + line.text.length);
  return [...chars].sort((a, b) => b[1] - a[1])[0]![0];
}

function round(size: number): number {
  return Math.round(size * 2) / 2;
}

/**
 * Marks the lines that outline entries name, on the page each entry points at (or the next, as
 * some generators point just above the heading): a heading may wrap over two lines. Returns
 * whether the document has a usable outline.
 */
function markOutlineHeadings(lines: Line[], outline: OutlineEntry[]): boolean {
  const placed = outline.filter((entry) => entry.page !== undefined && entry.title !== '');
  if (placed.length === 0) return false;
  const squash = (text: string) => text.replace(/\s+/g, '').toLowerCase();
  const squashed = lines.map((line) => squash(line.text));
  const firstOnPage = new Map<number, number>();
  lines.forEach((line, i) => firstOnPage.has(line.page) || firstOnPage.set(line.page, i));
  for (const entry of placed) {
    const title = squash(entry.title);
    const page = entry.page!;
    const from = firstOnPage.get(page) ?? firstOnPage.get(page + 1) ?? lines.length;
    for (let i = from; i < lines.length && lines[i]!.page <= page + 1; i++) {
      const line = lines[i]!;
      const next = lines[i + 1];
      if (line.heading !== undefined) continue;
      const wrapped = next !== undefined && next.page === line.page && next.heading === undefined;
      if (names(squashed[i]!, title)) {
        line.heading = entry.level;
        break;
      }
      if (wrapped && names(squashed[i]! + squashed[i + 1]!, title)) {
        line.heading = entry.level;
        next.heading = entry.level;
        break;
      }
    }
  }
  return true;
}

/** Whether a heading's text is the outline entry's title, maybe numbered ("2.1 ASN.1 syntax" for "ASN.1 syntax"). Both squashed. */
function names(line: string, title: string): boolean {
  return line === title || (line.endsWith(title) && SECTION_NUMBER.test(line.slice(0, line.length - title.length)));
}

/** Without an outline: lines set larger than body text, and short, are headings; larger is higher. */
function markSizeHeadings(lines: Line[], body: number): void {
  const isHeading = (line: Line) => line.size >= body * HEADING_RATIO && line.text.length <= 120 && /\p{L}/u.test(line.text);
  const sizes = [...new Set(lines.filter(isHeading).map((line) => round(line.size)))].sort((a, b) => b - a);
  for (const line of lines) if (isHeading(line)) line.heading = Math.min(sizes.indexOf(round(line.size)) + 1, 6);
}

/** The largest text on the first page with text, when it is larger than body text. */
function titleLine(lines: Line[], firstPage: number, body: number): string | undefined {
  const first = lines.filter((line) => line.page === firstPage);
  const largest = Math.max(...first.map((line) => line.size));
  if (largest < body * HEADING_RATIO) return undefined;
  const title = first.filter((line) => line.size === largest).slice(0, 2).map((line) => line.text).join(' ');
  return title.length <= 200 ? title : undefined;
}

/** Every word of the document, to tell a hyphenated compound ("built-in") from a word split at a line end. */
function wordsIn(lines: Line[]): Set<string> {
  const words = new Set<string>();
  for (const line of lines) for (const word of line.text.toLowerCase().match(/[\p{L}-]+/gu) ?? []) words.add(word);
  return words;
}

/**
 * The text, paragraph by paragraph. A paragraph ends at a gap wider than the usual line spacing, a
 * bullet, a change of font size or of code and prose, a heading, and a page's end: every block lies
 * on one page, so each quote has one page. A paragraph that goes on over the page break continues
 * after a single line break, so the sentence it cuts still reads as one.
 */
function build(lines: Line[], words: Set<string>, title: string | undefined): Pick<Parsed, 'text' | 'blocks'> & { pages: PdfLayout['pages'] } {
  const layout = { spacing: lineSpacing(lines), rightEdge: justifiedEdge(lines) };
  const parts: string[] = [];
  let length = 0;
  const blocks: Block[] = [];
  const pages: PdfLayout['pages'] = [];
  const headings: Array<{ level: number; title: string }> = [];
  let paragraph: { kind: Block['kind']; page: number; lines: Line[]; separator: string } | undefined;
  let headingOpen = false;

  // Each piece starts a page's text if it is the first on its page.
  const write = (text: string, separator: string, page: number): number => {
    if (length > 0) {
      parts.push(separator);
      length += separator.length;
    }
    const last = pages[pages.length - 1];
    if (last?.number !== page) pages.push({ number: page, start: length, end: length });
    parts.push(text);
    length += text.length;
    pages[pages.length - 1]!.end = length;
    return length - text.length;
  };
  const flush = () => {
    if (!paragraph) return;
    const text = joinLines(paragraph.lines, paragraph.kind, words);
    const start = write(text, paragraph.separator, paragraph.page);
    // The title is already the document's name: a first heading repeating it (a word processor's outline) heads nothing more.
    const path = headings.filter((h, i) => i > 0 || title === undefined || squashSpace(h.title) !== squashSpace(title)).map((h) => h.title);
    blocks.push({ start, end: start + text.length, kind: paragraph.kind, headingPath: path, page: paragraph.page });
    paragraph = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const previous = lines[i - 1];
    if (line.heading !== undefined) {
      flush();
      if (headingOpen && previous?.heading === line.heading && previous.page === line.page) {
        headings[headings.length - 1]!.title += ` ${line.text}`;
        parts.push(` ${line.text}`);
        length += line.text.length + 1;
        pages[pages.length - 1]!.end = length;
      } else {
        while (headings.length > 0 && headings[headings.length - 1]!.level >= line.heading) headings.pop();
        headings.push({ level: line.heading, title: line.text });
        write(line.text, '\n\n', line.page);
      }
      headingOpen = true;
      continue;
    }
    headingOpen = false;
    const kind: Block['kind'] = line.mono ? 'code' : 'text';
    const last = paragraph?.lines[paragraph.lines.length - 1];
    if (paragraph && last && paragraph.kind === kind && sameParagraph(last, line, layout)) {
      if (last.page === line.page) {
        paragraph.lines.push(line);
        continue;
      }
      flush();
      paragraph = { kind, page: line.page, lines: [line], separator: '\n' };
      continue;
    }
    flush();
    paragraph = { kind, page: line.page, lines: [line], separator: '\n\n' };
  }
  flush();
  return { text: parts.join(''), blocks, pages };
}

function squashSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Code keeps its line breaks; prose joins lines with a space, or with nothing where a word was hyphenated at the line end. */
function joinLines(lines: Line[], kind: Block['kind'], words: Set<string>): string {
  if (kind === 'code') return lines.map((line) => line.text).join('\n');
  let text = lines[0]!.text;
  for (const line of lines.slice(1)) {
    const split = /(\p{L}+)-$/u.exec(text);
    const next = /^\p{L}+/u.exec(line.text);
    // "built-in" written whole elsewhere in the document keeps its hyphen, as does "POSIX-compliant".
    const compound =
      split && next && ((words.has(`${split[1]}-${next[0]}`.toLowerCase()) && !words.has(`${split[1]}${next[0]}`.toLowerCase())) || (!/\p{Ll}/u.test(split[1]!) && /^\p{Ll}/u.test(next[0])));
    text = !split || !next ? `${text} ${line.text}` : compound ? text + line.text : text.slice(0, -1) + line.text;
  }
  return text;
}

/**
 * The usual distance between the baselines of two lines of one paragraph: the most common one up
 * to one and a half times the font size (larger ones are mostly gaps between paragraphs, which in
 * a man page's option list outnumber the lines), else the most common one.
 */
function lineSpacing(lines: Line[]): number {
  const gaps = new Map<number, number>();
  const close = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    if (a.page !== b.page || round(a.size) !== round(b.size)) continue;
    const gap = round(a.y - b.y);
    if (gap <= 0) continue;
    gaps.set(gap, (gaps.get(gap) ?? 0) + 1);
    if (gap <= b.size * 1.5) close.set(gap, (close.get(gap) ?? 0) + 1);
  }
  const mode = (counts: Map<number, number>) => [...counts].sort((x, y) => y[1] - x[1])[0]?.[0];
  return mode(close) ?? mode(gaps) ?? 0;
}

/**
 * The right edge most lines end at, in justified text (TeX, groff): there a line ending well short
 * of it ends its paragraph ("-a, --all do not ignore entries" in a man page's option list). Ragged
 * text (most word processors) has no such edge.
 */
function justifiedEdge(lines: Line[]): number | undefined {
  const ends = new Map<number, number>();
  const prose = lines.filter((line) => !line.mono && line.heading === undefined);
  for (const line of prose) ends.set(Math.round(line.end), (ends.get(Math.round(line.end)) ?? 0) + 1);
  const [edge] = [...ends].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (edge === undefined) return undefined;
  const flush = prose.filter((line) => Math.abs(line.end - edge) <= 2).length;
  return flush >= prose.length * 0.3 ? edge : undefined;
}

function sameParagraph(last: Line, line: Line, layout: { spacing: number; rightEdge: number | undefined }): boolean {
  if (BULLET.test(line.text)) return false;
  if (Math.abs(last.size - line.size) > 0.5) return false;
  if (layout.rightEdge !== undefined && last.end < layout.rightEdge - 3 * last.size) return false;
  if (last.page !== line.page) return !SENTENCE_END.test(last.text);
  const gap = last.y - line.y;
  return gap > 0 && gap <= Math.max(layout.spacing, line.size) * 1.25;
}
