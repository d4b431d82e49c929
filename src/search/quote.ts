import { SENTENCE_END, sentenceSpans } from '../passages/sentences.js';
import { isApiSignature, signaturesOnly } from '../passages/signature.js';
import { profileFor } from '../profiles/registry.js';
import type { FormatProfile } from '../profiles/types.js';
import type { Document, Passage } from '../types.js';
import { SEARCH_DEFAULTS } from './defaults.js';
import { codeNameScorer } from './identifiers.js';
import { contentTerms } from './terms.js';

export interface Span {
  start: number;
  end: number;
  /** A code block (or the part of one in the passage): quoted whole, never as a signature. */
  code?: boolean;
  /** The page of a paged document (PDF) the unit is on: a quote is cited with one page, so it never joins units of two. */
  page?: number;
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
    const page = block.page === undefined ? {} : { page: block.page };
    if (block.kind === 'code') {
      const code = doc.text.slice(start, end);
      const lead = code.length - code.trimStart().length;
      const trimmed = code.trim().length;
      if (trimmed > 0) units.push({ start: start + lead, end: start + lead + trimmed, code: true, ...page });
    } else units.push(...sentenceSpans(doc.text, start, end).map((span) => ({ ...span, ...page })));
  }
  return units;
}

/**
 * The section a passage lies in, as an API entry: its heading, which in references that head each
 * entry with its signature is that signature ("fs.readFile(path[, options], callback)", "pub fn
 * retain<F>(…)"), and the offset of its summary, the first sentence of the section that says
 * something (past the status notes, version tables and parameter lines the document's profile
 * recognises), which may lie in an earlier passage.
 */
export function sectionEntry(doc: Document, passage: Passage): { heading?: string; summaryAt?: number } {
  const profile = profileFor(doc);
  const path = doc.blocks[passage.paragraph - 1]?.headingPath;
  const heading = path?.at(-1);
  if (!path || heading === undefined) return {};
  let first = passage.paragraph - 1;
  while (first > 0 && samePath(doc.blocks[first - 1]!.headingPath, path)) first--;
  for (let i = first; i < Math.min(doc.blocks.length, first + SEARCH_DEFAULTS.summarySearchBlocks); i++) {
    const block = doc.blocks[i]!;
    if (!samePath(block.headingPath, path)) break;
    if (block.kind === 'code') continue;
    const summary = sentenceSpans(doc.text, block.start, block.end).find((span) => isSummary(doc.text, span, profile));
    if (summary) return { heading, summaryAt: summary.start };
  }
  return { heading };
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((h, i) => h === b[i]);
}

/** How many of the query's terms a text contains, weighting long (rarer, more specific) terms higher. */
function termOverlap(queryTerms: string[], text: string): number {
  const present = new Set(contentTerms(text));
  let score = 0;
  for (const term of queryTerms) {
    if (present.has(term)) score += term.length >= SEARCH_DEFAULTS.longTermChars || /\d/.test(term) ? SEARCH_DEFAULTS.longTermWeight : 1;
  }
  return score;
}

/**
 * A note on an entry's status that says nothing of what it does, as the document's profile reads
 * one ("Added in: v0.1.16"): quoted only when nothing else is, and never padding a short quote.
 */
function isStatusNote(docText: string, span: Span, profile: FormatProfile): boolean {
  return !span.code && profile.isStatusNote(docText.slice(span.start, span.end).trimStart());
}

/** A table row as the HTML reader writes one, its cells joined by " | " ("v18.0.0 | …"). */
const TABLE_ROW = / \| /;

/** A table row or a parameter line (as the profile reads one): part of a listing, which pads no quote. */
function isListing(docText: string, span: Span, profile: FormatProfile): boolean {
  if (span.code) return false;
  const line = docText.slice(span.start, span.end).trim();
  return TABLE_ROW.test(line) || profile.isListing(line);
}

/** Whether a unit can be an entry's summary: a sentence of prose, not a status note, a parameter or a table row. */
function isSummary(docText: string, span: Span, profile: FormatProfile): boolean {
  if (span.code || isStatusNote(docText, span, profile)) return false;
  const text = docText.slice(span.start, span.end).trim();
  return SENTENCE_END.test(text) && !isListing(docText, span, profile) && !isApiSignature(text, profile);
}

/** Whether a sentence is an API entry's signature line(s), the head of what follows it. */
function isEntrySignature(docText: string, span: Span, profile: FormatProfile): boolean {
  return !span.code && isApiSignature(docText.slice(span.start, span.end), profile);
}

/** The signature of the entry unit `i` is part of: the nearest above it, with only sentences between. */
function entrySignatureAbove(docText: string, units: Span[], i: number, profile: FormatProfile): Span | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const unit = units[j]!;
    if (unit.code) return undefined;
    if (isEntrySignature(docText, unit, profile)) return unit;
  }
  return undefined;
}

/** What a quote is picked for, beyond the question's terms. */
export interface QuoteContext {
  /** The code names the question writes (see `codeNames`). */
  codeNames: string[];
  /** The format rules of the passage's document (see `profileFor`). */
  profile: FormatProfile;
  /** The heading of the passage's section (see `sectionEntry`): the entry's signature where entries are headed by theirs. */
  heading?: string;
  /** Where that section's summary starts in the document text, when it has one. */
  summaryAt?: number;
}

/**
 * For each unit, how well the API entry it belongs to matches the question's code names (0 to 1,
 * see `codeNameScorer`). An entry starts at its signature line; before any, the passage is in
 * the entry its section's heading names, if that heading is a signature. A name the unit merely
 * mentions does not count:
 * "In particular, sys.exit("some error message") is a quick way…" is not the sentence that says
 * what sys.exit does.
 */
function entryScores(docText: string, units: Span[], { codeNames, heading, profile }: QuoteContext): number[] {
  if (codeNames.length === 0) return units.map(() => 0);
  const score = codeNameScorer(codeNames);
  let entry = heading === undefined ? 0 : score(heading, profile);
  return units.map((unit) => {
    if (isEntrySignature(docText, unit, profile)) entry = score(docText.slice(unit.start, unit.end), profile);
    return entry;
  });
}

/**
 * Where the summary of the entry best matching the question's code names starts: the first
 * sentence of prose after its signature, or the section's summary (see `sectionEntry`) under a
 * signature heading. Where a signature precedes it, the signature's index, so that it is quoted
 * with the summary. -1 when no entry in the passage matches.
 */
function entrySummary(docText: string, units: Span[], inEntry: number[], { summaryAt, profile }: QuoteContext): number {
  let found = -1;
  let top = 0;
  let afterSignature = false;
  units.forEach((unit, i) => {
    if (isEntrySignature(docText, unit, profile)) {
      afterSignature = true;
      return;
    }
    // An entry's summary comes before its examples.
    if (unit.code) afterSignature = false;
    const summary = afterSignature ? isSummary(docText, unit, profile) : unit.start === summaryAt;
    if (!summary) return;
    afterSignature = false;
    if (inEntry[i]! > top) {
      top = inEntry[i]!;
      found = i > 0 && isEntrySignature(docText, units[i - 1]!, profile) ? i - 1 : i;
    }
  });
  return found;
}

/**
 * Chooses what of a passage to quote from its `quoteUnits` (sentences, code blocks): the unit
 * sharing most with the question, joined with its neighbour when it is too short to stand alone,
 * and carried on past API signatures to the sentence that says what the thing does. A description
 * that follows its signature is quoted with it ("os.cpu_count()" above "Return the number of
 * CPUs…"): the answer to "how do I…" is the name; so is a later sentence of the entry, when the
 * whole is short enough to quote.
 *
 * When the question writes code names, a sentence of the entry they name comes before one that
 * only mentions them: "what is curses.panel.Panel.above for?" is answered by "Panel.above()⏎⏎Returns
 * the panel above the current panel.", not by "Panel objects, as returned by new_panel() above, …".
 * A question that asks about the name and nothing else ("what does Vec::retain do?", "how do I use
 * asyncio.Task.uncancel?") is answered by the entry's summary, its first sentence, rather than by
 * a later sentence or an example that repeats the name.
 *
 * Returns offsets into the document text, so the quote is always an exact substring of it.
 */
export function pickQuote(docText: string, sentences: Span[], queryTerms: string[], context: QuoteContext): Span {
  const { profile } = context;
  if (sentences.length === 0) throw new Error('pickQuote needs at least one sentence');
  let best = 0;
  let bestScore = -Infinity;
  const inEntry = entryScores(docText, sentences, context);
  sentences.forEach((span, i) => {
    const score = isStatusNote(docText, span, profile) ? -1 : termOverlap(queryTerms, docText.slice(span.start, span.end)) + SEARCH_DEFAULTS.entryCredit * inEntry[i]!;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  const nameTerms = new Set(contentTerms(context.codeNames.join(' ')));
  if (context.codeNames.length > 0 && queryTerms.every((term) => nameTerms.has(term))) {
    const summary = entrySummary(docText, sentences, inEntry, context);
    if (summary >= 0) best = summary;
  }
  const chosen = sentences[best]!;
  let { start, end } = chosen;
  let last = best;
  const before = sentences[best - 1];
  if (before && before.page === chosen.page && isEntrySignature(docText, before, profile) && end - before.start <= SEARCH_DEFAULTS.maxSignatureQuote) start = before.start;
  else if (!chosen.code && !isEntrySignature(docText, chosen, profile)) {
    // Deeper in an entry, the quote starts at its signature when the whole is short enough: "This
    // can be used to make triple-quoted strings line up…" says nothing of textwrap.dedent on its own.
    const signature = entrySignatureAbove(docText, sentences, best, profile);
    if (signature !== undefined && signature.page === chosen.page && end - signature.start <= SEARCH_DEFAULTS.maxSignatureQuote) start = signature.start;
  }
  // A quote that is all signatures is carried on to the description below instead.
  if (end - start < SEARCH_DEFAULTS.minQuoteChars && sentences.length > 1 && (chosen.code || !signaturesOnly(docText.slice(start, end), profile))) {
    // A signature after the quote opens the next entry: "Generate a random UUID." is not followed by "uuid.uuid5(…)".
    const pads = (span: Span | undefined) =>
      span !== undefined && span.page === chosen.page && !isEntrySignature(docText, span, profile) && !isStatusNote(docText, span, profile) && !isListing(docText, span, profile);
    const next = pads(sentences[best + 1]) ? sentences[best + 1] : undefined;
    const previous = start === chosen.start && pads(before) ? before : undefined;
    const nextScore = next ? termOverlap(queryTerms, docText.slice(next.start, next.end)) : -1;
    const previousScore = previous ? termOverlap(queryTerms, docText.slice(previous.start, previous.end)) : -1;
    if (next && nextScore >= previousScore) {
      end = next.end;
      last = best + 1;
    } else if (previous) start = previous.start;
  }
  while (!chosen.code && signaturesOnly(docText.slice(start, end), profile) && sentences[last + 1] !== undefined && sentences[last + 1]!.page === chosen.page && sentences[last + 1]!.end - start <= SEARCH_DEFAULTS.maxSignatureQuote) {
    end = sentences[++last]!.end;
  }
  return { start, end };
}
