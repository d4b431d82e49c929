export interface Span {
  start: number;
  end: number;
}

interface Choice {
  pieces: number;
  /** Sum of cutCost over the cuts made. */
  penalty: number;
  /** Sum of squared piece lengths: lower is more even. */
  squares: number;
  /** Where the last piece starts. */
  from: number;
}

/**
 * Groups consecutive spans into pieces of at most maxChars (a lone larger span stays whole) and
 * returns them as unit ranges [from, to). It finds the fewest pieces; among those, the least total
 * `cutCost(i)` (the cost of a piece starting at unit i); among those, the most even lengths, so a
 * paragraph slightly over the limit splits in halves instead of leaving a scrap behind.
 */
export function pack(spans: Span[], maxChars: number, cutCost: (i: number) => number = () => 0): Array<{ from: number; to: number }> {
  // best[j]: the best grouping of the first j spans.
  const best: Choice[] = [{ pieces: 0, penalty: 0, squares: 0, from: 0 }];
  for (let j = 1; j <= spans.length; j++) {
    let choice: Choice = { pieces: Infinity, penalty: Infinity, squares: Infinity, from: j - 1 };
    for (let i = j - 1; i >= 0; i--) {
      const length = spans[j - 1]!.end - spans[i]!.start;
      if (length > maxChars && i < j - 1) break;
      const prior = best[i]!;
      const candidate = {
        pieces: prior.pieces + 1,
        penalty: prior.penalty + (i > 0 ? cutCost(i) : 0),
        squares: prior.squares + length * length,
        from: i,
      };
      if (better(candidate, choice)) choice = candidate;
    }
    best.push(choice);
  }
  const ranges: Array<{ from: number; to: number }> = [];
  for (let j = spans.length; j > 0; j = best[j]!.from) ranges.unshift({ from: best[j]!.from, to: j });
  return ranges;
}

function better(a: Choice, b: Choice): boolean {
  if (a.pieces !== b.pieces) return a.pieces < b.pieces;
  if (a.penalty !== b.penalty) return a.penalty < b.penalty;
  return a.squares < b.squares;
}
