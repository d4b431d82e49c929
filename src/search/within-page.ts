// Which passage of a found page is shown. Fusion ranks pages well and passages within a page
// poorly: on questions in people's own words the right page is in the top 5 far more often than
// the passage that answers (docs/retrieval-quotes.md). Once the pages are chosen, each page's places
// in the results go to its passages that best match the question: their share of the question's
// distinctive words (weighted by how rare each is in the library) and their dense similarity to
// the question, both measured against the page's other passages.
import { SEARCH_DEFAULTS } from './defaults.js';
import { holds, type Expanded } from './expansion.js';
import type { SearchableIndex } from './search.js';
import { contentTerms } from './terms.js';

/** What the within-page choice weighs: each in [0, 1] against the page's other passages. */
export interface WithinPageWeights {
  /** The passage's fused score against the page's best (0 when fusion did not find it). */
  fused: number;
  /** Its dense similarity to the question, min-max normalised over the page's passages. */
  dense: number;
  /** Its share of the question's terms, each weighted by its inverse document frequency. */
  terms: number;
}

/** A term's weight: its inverse document frequency in the library (rare words say more of a question). */
export function termWeights(index: SearchableIndex, terms: string[]): Map<string, number> {
  const total = index.passageCount();
  return new Map(
    terms.map((term) => {
      const holding = index.passagesWith(term, total, true)?.size ?? total;
      return [term, Math.log(1 + total / Math.max(1, holding))];
    }),
  );
}

/**
 * The IDF-weighted share of the question's terms a text holds: a term itself counts whole, another
 * form of it (see `Expanded.forms`) `SEARCH_DEFAULTS.alternativeCredit`, another name for it whole.
 */
export function weightedCoverage(text: string, weights: ReadonlyMap<string, number>, expanded: Expanded): number {
  let total = 0;
  let found = 0;
  const present = new Set(contentTerms(text));
  for (const [term, weight] of weights) {
    total += weight;
    if (present.has(term)) found += weight;
    else if (holds(present, term, expanded)) found += weight * (expanded.forms.has(term) ? SEARCH_DEFAULTS.alternativeCredit : 1);
  }
  return total > 0 ? found / total : 0;
}

export interface PageChoiceInput {
  /** The results, best first (after `diversify`): their places and scores are kept. */
  top: Array<{ label: number; score: number }>;
  /** Every fused candidate's score (before diversity), to weigh what fusion found. */
  fused: ReadonlyMap<number, number>;
  /** The question's vector, or null (lexical mode: dense similarity is not weighed). */
  vector: Float32Array | null;
  weights: ReadonlyMap<string, number>;
  expanded: Expanded;
  /** Whether a passage repeats one already kept (see `diversify`). */
  repeats: (a: number, b: number) => boolean;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * The results with each page's places given to its best-matching passages, in that order; which
 * pages hold which places, and the places' scores, are unchanged.
 */
export function choosePagePassages(index: SearchableIndex, input: PageChoiceInput, weights: WithinPageWeights = SEARCH_DEFAULTS.withinPage): Array<{ label: number; score: number }> {
  const { top, fused, vector } = input;
  const docOf = (label: number) => index.passage(label)?.docId;
  const out = top.map((entry) => ({ ...entry }));
  const docs = [...new Set(top.map(({ label }) => docOf(label)).filter((docId): docId is string => docId !== undefined))];
  const kept: number[] = [];
  for (const docId of docs) {
    const places = out.flatMap((entry, i) => (docOf(entry.label) === docId ? [i] : []));
    const labels = index.passagesOf(docId);
    if (labels.length <= 1) continue;
    const bestFused = Math.max(...labels.map((label) => fused.get(label) ?? 0)) || 1;
    const similarity = labels.map((label) => {
      const stored = vector && index.vector(label);
      return stored ? dot(vector, stored) : 0;
    });
    const low = Math.min(...similarity);
    const span = Math.max(...similarity) - low || 1;
    const scored = labels.map((label, i) => ({
      label,
      score:
        weights.fused * ((fused.get(label) ?? 0) / bestFused) +
        (vector ? weights.dense * ((similarity[i]! - low) / span) : 0) +
        weights.terms * weightedCoverage(index.passage(label)?.text ?? '', input.weights, input.expanded),
    }));
    scored.sort((a, b) => b.score - a.score);
    const chosen: number[] = [];
    for (const { label } of scored) {
      if (chosen.length === places.length) break;
      if ([...kept, ...chosen].some((other) => other === label || input.repeats(label, other))) continue;
      chosen.push(label);
    }
    chosen.forEach((label, i) => {
      out[places[i]!]!.label = label;
    });
    kept.push(...chosen);
  }
  return out;
}
