import type { Block, Document, Passage } from '../types.js';
import { sentenceSpans } from './sentences.js';

interface Span {
  start: number;
  end: number;
}

interface Chunk extends Span {
  /** Index into doc.blocks of the block the chunk starts in. */
  block: number;
}

/**
 * Cuts a document into passages along its blocks. A paragraph that fits in `maxChars` is one
 * passage; a longer one is cut between sentences into pieces of similar size. A sentence is never
 * cut, even when it alone exceeds `maxChars`, except a run-on "sentence" over 4 × maxChars (a long
 * table row or unpunctuated list), which is cut between words so the embedder still sees it all.
 * Code stays whole up to 2 × maxChars, then is cut between lines. A passage shorter than
 * `minChars` (default maxChars / 4) is joined to the next one, or else the previous one, in the
 * same section (same heading path and anchor) when the two fit in maxChars.
 */
export function splitDocument(doc: Document, opts: { maxChars: number; minChars?: number }): Passage[] {
  const { maxChars } = opts;
  if (!(maxChars >= 1)) throw new RangeError(`maxChars must be at least 1 (got ${maxChars})`);
  const minChars = opts.minChars ?? Math.floor(maxChars / 4);
  const chunks: Chunk[] = [];
  doc.blocks.forEach((block, i) => {
    for (const { start, end } of blockChunks(doc.text, block, maxChars)) chunks.push({ start, end, block: i });
  });

  const sameSection = (a: Chunk, b: Chunk): boolean => {
    const x = doc.blocks[a.block]!;
    const y = doc.blocks[b.block]!;
    return x.anchor === y.anchor && x.headingPath.length === y.headingPath.length && x.headingPath.every((h, i) => h === y.headingPath[i]);
  };
  const canJoin = (a: Chunk, b: Chunk): boolean => sameSection(a, b) && b.end - a.start <= maxChars;

  const merged: Chunk[] = [];
  for (const chunk of chunks) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.end - last.start < minChars && canJoin(last, chunk)) last.end = chunk.end;
    else merged.push({ ...chunk });
  }
  for (let i = merged.length - 1; i > 0; i--) {
    const chunk = merged[i]!;
    const before = merged[i - 1]!;
    if (chunk.end - chunk.start < minChars && canJoin(before, chunk)) {
      before.end = chunk.end;
      merged.splice(i, 1);
    }
  }

  return merged.map((chunk, i) => {
    const block = doc.blocks[chunk.block]!;
    const passage: Passage = {
      ref: `${doc.id}:${i + 1}`,
      docId: doc.id,
      ordinal: i + 1,
      start: chunk.start,
      end: chunk.end,
      text: doc.text.slice(chunk.start, chunk.end),
      paragraph: chunk.block + 1,
      headingPath: block.headingPath,
    };
    if (block.anchor !== undefined) passage.anchor = block.anchor;
    return passage;
  });
}

function blockChunks(text: string, block: Block, maxChars: number): Span[] {
  const length = block.end - block.start;
  if (block.kind === 'code') return length <= 2 * maxChars ? [block] : pack(lineSpans(text, block), maxChars);
  if (length <= maxChars) return [block];
  const units = sentenceSpans(text, block.start, block.end).flatMap((s) =>
    s.end - s.start > 4 * maxChars ? wordPieces(text, s, maxChars) : [s],
  );
  return pack(units, maxChars);
}

/**
 * Groups consecutive units into as few pieces of at most maxChars as possible (a lone larger unit
 * stays whole), and among those groupings picks the most even one (least sum of squared lengths):
 * a paragraph slightly over the limit splits in halves instead of leaving a scrap behind.
 */
function pack(units: Span[], maxChars: number): Span[] {
  // best[j]: cheapest grouping of the first j units; `from` is where its last piece starts.
  const best: Array<{ pieces: number; cost: number; from: number }> = [{ pieces: 0, cost: 0, from: 0 }];
  for (let j = 1; j <= units.length; j++) {
    let choice = { pieces: Infinity, cost: Infinity, from: j - 1 };
    for (let i = j - 1; i >= 0; i--) {
      const length = units[j - 1]!.end - units[i]!.start;
      if (length > maxChars && i < j - 1) break;
      const prior = best[i]!;
      const pieces = prior.pieces + 1;
      const cost = prior.cost + length * length;
      if (pieces < choice.pieces || (pieces === choice.pieces && cost < choice.cost)) choice = { pieces, cost, from: i };
    }
    best.push(choice);
  }
  const pieces: Span[] = [];
  for (let j = units.length; j > 0; j = best[j]!.from) {
    pieces.unshift({ start: units[best[j]!.from]!.start, end: units[j - 1]!.end });
  }
  return pieces;
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
