// What a question's word is worth when choosing the sentence to quote: the rarer the word in the
// library, the more a sentence holding it is about the question ("stderr" says more than "code").
import type { TermMatch } from './quote.js';
import type { SearchableIndex } from './search.js';

/** Each term's inverse document frequency over the library's passages: ln(1 + N / df). */
export function inverseFrequencies(index: SearchableIndex, terms: string[]): Map<string, number> {
  const total = index.passageCount();
  return new Map(
    terms.map((term) => {
      const holding = index.passagesWith(term, total, true)?.size ?? total;
      return [term, Math.log(1 + total / Math.max(1, holding))];
    }),
  );
}

/**
 * A term found in a sentence weighs its IDF over the mean IDF of the question's terms: the
 * question's words average 1, the scale `SEARCH_DEFAULTS.entryCredit` is set against, and no
 * constant depends on the library's size.
 */
export function rarityMatch(index: SearchableIndex, terms: string[]): TermMatch {
  const idf = inverseFrequencies(index, terms);
  const mean = [...idf.values()].reduce((sum, value) => sum + value, 0) / Math.max(1, idf.size) || 1;
  return (term, present) => (present.has(term) ? (idf.get(term) ?? mean) / mean : 0);
}
