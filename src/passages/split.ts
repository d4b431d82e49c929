import { profileFor } from '../profiles/registry.js';
import type { Block, Document, Passage } from '../types.js';
import { pack, type Span } from './pack.js';
import { isApiSignature } from './signature.js';
import { SENTENCE_END, sentenceSpans } from './sentences.js';

/** Costs of the packing, in tenths of a passage (see `cutCost`). */
const PASSAGE_COST = 10;
const CUT_IN_SECTION = 3;
const CUT_IN_ENTRY = 12;
const CUT_AFTER_LEAD_IN = 15;
/** A text block this short without a sentence end is a title ("Note", "See also", "Parameters"). */
const SHORT_LEAD_IN = 40;

interface Unit extends Span {
  /** Index into doc.blocks of the block the unit belongs to. */
  block: number;
}

/**
 * Cuts a document into passages. First each block becomes one or more units: a paragraph that fits
 * in `maxChars` is one unit, a longer one is cut between sentences into pieces of similar size. A
 * sentence is never cut, even when it alone exceeds `maxChars`, except a run-on "sentence" over
 * 4 × maxChars (a long table row or unpunctuated list), which is cut between words so the embedder
 * still sees it all. Code stays whole up to 2 × maxChars, then is cut between lines.
 *
 * Then the units of each section (consecutive blocks under one heading path) are packed into
 * passages of at most `maxChars`, as few as possible: API references are runs of short entries
 * (a signature, a sentence), each with its own anchor, and a passage per entry would flood the
 * index with fragments. A passage takes the anchor of its first block, so its link lands at or
 * just above any sentence quoted from it. Cuts go where they harm least (see `cutCost`), then
 * lengths are made even.
 */
/**
 * Recorded in each index: bump it whenever a document would be cut differently, and the next
 * re-index splits and embeds every document again instead of mixing old and new passages.
 */
export const SPLITTER_VERSION = 'archivist-split/3';

export function splitDocument(doc: Document, opts: { maxChars: number }): Passage[] {
  const { maxChars } = opts;
  if (!(maxChars >= 1)) throw new RangeError(`maxChars must be at least 1 (got ${maxChars})`);
  const passages: Passage[] = [];
  for (const run of sections(doc.blocks)) {
    const units: Unit[] = [];
    for (let i = run.from; i < run.to; i++) {
      for (const span of blockUnits(doc.text, doc.blocks[i]!, maxChars)) units.push({ ...span, block: i });
    }
    const sectionAnchor = doc.blocks[run.from]!.anchor;
    const startCosts = units.map((unit, i) => PASSAGE_COST + (i === 0 ? 0 : cutCost(doc, units[i - 1]!.block, unit.block, sectionAnchor)));
    for (const { from, to } of pack(units, maxChars, (i) => startCosts[i]!)) {
      const first = units[from]!;
      const block = doc.blocks[first.block]!;
      const ordinal = passages.length + 1;
      const passage: Passage = {
        ref: `${doc.id}:${ordinal}`,
        docId: doc.id,
        ordinal,
        start: first.start,
        end: units[to - 1]!.end,
        text: doc.text.slice(first.start, units[to - 1]!.end),
        paragraph: first.block + 1,
        headingPath: block.headingPath,
      };
      if (block.anchor !== undefined) passage.anchor = block.anchor;
      passages.push(passage);
    }
  }
  return passages;
}

/** Ranges of consecutive blocks under the same heading path: a passage never mixes sections. */
function sections(blocks: Block[]): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  blocks.forEach((block, i) => {
    const run = runs[runs.length - 1];
    if (run !== undefined && samePath(blocks[run.from]!.headingPath, block.headingPath)) run.to = i + 1;
    else runs.push({ from: i, to: i + 1 });
  });
  return runs;
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((h, i) => h === b[i]);
}

/**
 * What a passage break between blocks `a` and `b` costs, in tenths of a passage. Between API
 * entries (anchors) it is free. Inside a section's own text it costs a little, so that of two
 * packings with as many passages the one that breaks between entries wins. Inside an entry (a
 * block anchored below its section) it costs more than a passage: "This number is not equivalent
 * to the number of CPUs…" quoted apart from "os.cpu_count()" names nothing. After a block that
 * leads into the next it costs more than an extra passage: a description cut off from its
 * signature would be found by no one asking about that name.
 */
function cutCost(doc: Document, a: number, b: number, sectionAnchor: string | undefined): number {
  if (a === b) return 0; // Inside a long paragraph: its pieces are already even.
  const anchor = doc.blocks[a]!.anchor;
  const inside = anchor !== doc.blocks[b]!.anchor ? 0 : anchor !== undefined && anchor !== sectionAnchor ? CUT_IN_ENTRY : CUT_IN_SECTION;
  return inside + (leadsIn(doc, a) ? CUT_AFTER_LEAD_IN : 0);
}

/**
 * Whether a block reads as the head of the next one: a text block without a sentence end that
 * ends in a colon ("For example:"), is short ("Note", "See also", "Parameters") or is an API
 * signature (written as one, or the first block of an entry that goes on in the next block).
 */
function leadsIn(doc: Document, i: number): boolean {
  const block = doc.blocks[i]!;
  if (block.kind !== 'text') return false;
  const tail = doc.text.slice(Math.max(block.start, block.end - 4), block.end);
  if (SENTENCE_END.test(tail)) return false;
  if (tail.endsWith(':') || block.end - block.start <= SHORT_LEAD_IN) return true;
  // Markdown and plain HTML give an entry no anchor of its own: its signature line says it.
  if (isApiSignature(doc.text.slice(block.start, block.end), profileFor(doc)) && doc.blocks[i + 1]?.kind === 'text') return true;
  const previous = doc.blocks[i - 1];
  const next = doc.blocks[i + 1];
  return next?.anchor !== undefined && next.anchor === block.anchor && previous?.anchor !== block.anchor;
}

function blockUnits(text: string, block: Block, maxChars: number): Span[] {
  const length = block.end - block.start;
  if (block.kind === 'code') return length <= 2 * maxChars ? [block] : joined(lineSpans(text, block), maxChars);
  if (length <= maxChars) return [block];
  const sentences = sentenceSpans(text, block.start, block.end).flatMap((s) =>
    s.end - s.start > 4 * maxChars ? wordPieces(text, s, maxChars) : [s],
  );
  return joined(sentences, maxChars);
}

function joined(spans: Span[], maxChars: number): Span[] {
  return pack(spans, maxChars).map(({ from, to }) => ({ start: spans[from]!.start, end: spans[to - 1]!.end }));
}

/** Non-blank lines of a code block, keeping their indentation. */
function lineSpans(text: string, block: Span): Span[] {
  const spans: Span[] = [];
  let start = block.start;
  while (start < block.end) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 || newline > block.end ? block.end : newline;
    const end = start + text.slice(start, lineEnd).trimEnd().length;
    if (end > start) spans.push({ start, end });
    start = lineEnd + 1;
  }
  return spans;
}

/** Cuts a run-on span at the last space before each maxChars mark, or at the mark if there is none. */
function wordPieces(text: string, span: Span, maxChars: number): Span[] {
  const pieces: Span[] = [];
  let start = span.start;
  while (span.end - start > maxChars) {
    const window = text.slice(start, start + maxChars + 1);
    const space = window.search(/\s\S*$/);
    let cut = space > 0 ? start + space : start + maxChars;
    // Never split a surrogate pair.
    if (space <= 0 && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut--;
    pieces.push({ start, end: start + text.slice(start, cut).trimEnd().length });
    start = cut;
    while (start < span.end && /\s/.test(text[start]!)) start++;
  }
  if (start < span.end) pieces.push({ start, end: span.end });
  return pieces;
}
