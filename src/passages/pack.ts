export interface Span {
  start: number;
  end: number;
}

interface Choice {
  /** Sum of startCost over the pieces' first spans. */
  cost: number;
  /** Sum of squared piece lengths: lower is more even. */
  squares: number;
  /** Where the last piece starts. */
  from: number;
}

/**
 * Groups consecutive spans into pieces of at most maxChars (a lone larger span stays whole) and
 * returns them as span ranges [from, to). It minimises the total `startCost(i)` of starting a piece
 * at span i (by default 1: the fewest pieces), then the sum of squared lengths, so a paragraph
 * slightly over the limit splits in halves instead of leaving a scrap behind.
 */
export function pack(spans: Span[], maxChars: number, startCost: (i: number) => number = () => 1): Array<{ from: number; to: number }> {
  // best[j]: the best grouping of the first j spans.
  const best: Choice[] = [{ cost: 0, squares: 0, from: 0 }];
  for (let j = 1; j <= spans.length; j++) {
    let choice: Choice = { cost: Infinity, squares: Infinity, from: j - 1 };
    for (let i = j - 1; i >= 0; i--) {
      const length = spans[j - 1]!.end - spans[i]!.start;
      if (length > maxChars && i < j - 1) break;
      const prior = best[i]!;
      const cost = prior.cost + startCost(i);
      const squares = prior.squares + length * length;
      if (cost < choice.cost || (cost === choice.cost && squares < choice.squares)) choice = { cost, squares, from: i };
    }
    best.push(choice);
  }
  const ranges: Array<{ from: number; to: number }> = [];
  for (let j = spans.length; j > 0; j = best[j]!.from) ranges.unshift({ from: best[j]!.from, to: j });
  return ranges;
}
