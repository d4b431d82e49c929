/** One ranked list of candidates from one retriever (best first). */
export interface Ranking {
  weight: number;
  labels: number[];
}

/**
 * Weighted reciprocal rank fusion: robust to the two retrievers' incomparable score scales.
 * `k` damps the head of each list; 60 is the value from the original RRF paper.
 */
export function reciprocalRankFusion(rankings: Ranking[], k = 60): Array<{ label: number; score: number }> {
  const scores = new Map<number, number>();
  for (const { weight, labels } of rankings) {
    labels.forEach((label, rank) => {
      scores.set(label, (scores.get(label) ?? 0) + weight / (k + rank + 1));
    });
  }
  return [...scores.entries()].map(([label, score]) => ({ label, score })).sort((a, b) => b.score - a.score);
}
