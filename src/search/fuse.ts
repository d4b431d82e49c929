import { SEARCH_DEFAULTS } from './defaults.js';

/** One ranked list of candidates from one retriever (best first). */
export interface Ranking {
  weight: number;
  labels: number[];
}

/**
 * Weighted reciprocal rank fusion: robust to the two retrievers' incomparable score scales.
 * `k` damps the head of each list (see SEARCH_DEFAULTS.rrfK).
 */
export function reciprocalRankFusion(rankings: Ranking[], k: number = SEARCH_DEFAULTS.rrfK): Array<{ label: number; score: number }> {
  const scores = new Map<number, number>();
  for (const { weight, labels } of rankings) {
    labels.forEach((label, rank) => {
      scores.set(label, (scores.get(label) ?? 0) + weight / (k + rank + 1));
    });
  }
  return [...scores.entries()].map(([label, score]) => ({ label, score })).sort((a, b) => b.score - a.score);
}

export interface Scored {
  label: number;
  /** Cosine similarity to the question (computed for every candidate, whichever retriever found it). */
  similarity: number;
  /** BM25 score, 0 when the lexical retriever did not find the candidate. */
  bm25: number;
}

/**
 * Convex combination of min-max normalised cosine and max-normalised BM25. Unlike rank fusion it
 * keeps how far ahead a candidate is, which matters when one retriever is sure and the other is
 * not (a rare name matched lexically; a paraphrase matched densely).
 */
export function convexFusion(candidates: Scored[], denseWeight: number): Array<{ label: number; score: number }> {
  if (candidates.length === 0) return [];
  const sims = candidates.map((c) => c.similarity);
  const low = Math.min(...sims);
  const span = Math.max(...sims) - low || 1;
  const topBm25 = Math.max(...candidates.map((c) => c.bm25)) || 1;
  return candidates
    .map((c) => ({
      label: c.label,
      score: denseWeight * ((c.similarity - low) / span) + (1 - denseWeight) * (c.bm25 / topBm25),
    }))
    .sort((a, b) => b.score - a.score);
}
