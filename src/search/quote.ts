import { contentTerms } from './terms.js';

export interface Span {
  start: number;
  end: number;
}

/** How many of the query's terms a text contains, weighting long (rarer, more specific) terms higher. */
function termOverlap(queryTerms: string[], text: string): number {
  const present = new Set(contentTerms(text));
  let score = 0;
  for (const term of queryTerms) if (present.has(term)) score += term.length >= 6 || /\d/.test(term) ? 1.5 : 1;
  return score;
}

/**
 * Chooses the sentence(s) of a passage to quote: the sentence sharing most with the question,
 * joined with its neighbour when it is too short to stand alone. Returns offsets into the document
 * text, so the quote is always an exact substring of it.
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
  if (end - start < minChars && sentences.length > 1) {
    const next = sentences[best + 1];
    const previous = sentences[best - 1];
    const nextScore = next ? termOverlap(queryTerms, docText.slice(next.start, next.end)) : -1;
    const previousScore = previous ? termOverlap(queryTerms, docText.slice(previous.start, previous.end)) : -1;
    if (next && nextScore >= previousScore) end = next.end;
    else if (previous) start = previous.start;
  }
  return { start, end };
}
