import { sentenceSpans } from '../passages/sentences.js';
import { isApiSignature, signaturesOnly } from '../passages/signature.js';
import type { Document, Passage } from '../types.js';
import { contentTerms } from './terms.js';

export interface Span {
  start: number;
  end: number;
  /** A code block (or the part of one in the passage): quoted whole, never as a signature. */
  code?: boolean;
}

/**
 * What a quote can be made of in a passage: the sentences of its text blocks, and its code blocks
 * whole. A sentence segmenter reads code as prose and ends a "sentence" at `vec![` or `x?`.
 */
export function quoteUnits(doc: Document, passage: Passage): Span[] {
  const units: Span[] = [];
  // A passage starts in its `paragraph`: the blocks before it are not looked at.
  for (let i = Math.max(0, passage.paragraph - 1); i < doc.blocks.length; i++) {
    const block = doc.blocks[i]!;
    if (block.end <= passage.start) continue;
    if (block.start >= passage.end) break;
    const start = Math.max(block.start, passage.start);
    const end = Math.min(block.end, passage.end);
    if (block.kind === 'code') {
      const code = doc.text.slice(start, end);
      const lead = code.length - code.trimStart().length;
      const trimmed = code.trim().length;
      if (trimmed > 0) units.push({ start: start + lead, end: start + lead + trimmed, code: true });
    } else units.push(...sentenceSpans(doc.text, start, end));
  }
  return units;
}

/** How many of the query's terms a text contains, weighting long (rarer, more specific) terms higher. */
function termOverlap(queryTerms: string[], text: string): number {
  const present = new Set(contentTerms(text));
  let score = 0;
  for (const term of queryTerms) if (present.has(term)) score += term.length >= 6 || /\d/.test(term) ? 1.5 : 1;
  return score;
}

/** Quotes longer than this are not extended past a signature. */
const MAX_SIGNATURE_QUOTE = 500;

/** Whether a sentence is an API entry's signature line(s), the head of what follows it. */
function isEntrySignature(docText: string, span: Span): boolean {
  return !span.code && isApiSignature(docText.slice(span.start, span.end));
}

/**
 * Chooses what of a passage to quote from its `quoteUnits` (sentences, code blocks): the unit sharing most with the question,
 * joined with its neighbour when it is too short to stand alone, and carried on past API
 * signatures to the sentence that says what the thing does. A description that follows its
 * signature is quoted with it ("os.cpu_count()" above "Return the number of CPUs…"): the answer
 * to "how do I…" is the name. Returns offsets into the document text, so the quote is always an
 * exact substring of it.
 */
export function pickQuote(docText: string, sentences: Span[], queryTerms: string[], minChars = 80): Span {
  if (sentences.length === 0) throw new Error('pickQuote needs at least one sentence');
  let best = 0;
  let bestScore = -1;
  sentences.forEach((span, i) => {
    const score = termOverlap(queryTerms, docText.slice(span.start, span.end));
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  const chosen = sentences[best]!;
  let { start, end } = chosen;
  let last = best;
  const before = sentences[best - 1];
  if (before && isEntrySignature(docText, before) && end - before.start <= MAX_SIGNATURE_QUOTE) start = before.start;
  // A quote that is all signatures is carried on to the description below instead.
  if (end - start < minChars && sentences.length > 1 && (chosen.code || !signaturesOnly(docText.slice(start, end)))) {
    // A signature after the quote opens the next entry: "Generate a random UUID." is not followed by "uuid.uuid5(…)".
    const next = sentences[best + 1] && !isEntrySignature(docText, sentences[best + 1]!) ? sentences[best + 1] : undefined;
    const previous = start === chosen.start ? before : undefined;
    const nextScore = next ? termOverlap(queryTerms, docText.slice(next.start, next.end)) : -1;
    const previousScore = previous ? termOverlap(queryTerms, docText.slice(previous.start, previous.end)) : -1;
    if (next && nextScore >= previousScore) {
      end = next.end;
      last = best + 1;
    } else if (previous) start = previous.start;
  }
  while (!chosen.code && signaturesOnly(docText.slice(start, end)) && sentences[last + 1] && sentences[last + 1]!.end - start <= MAX_SIGNATURE_QUOTE) {
    end = sentences[++last]!.end;
  }
  return { start, end };
}
