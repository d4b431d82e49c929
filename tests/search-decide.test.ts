import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_RELEVANCE, type Ranked } from '../src/search/search.js';

// The answer/decline rule on its own: which ranked hits are worth quoting.
function ranked(hits: Array<{ similarity: number | null; coverage: number }>, unknown: string[] = [], unknownNames: string[] = []): Ranked {
  const top = hits.map((hit, i) => ({ label: i, score: 1 - i / 10, ...hit }));
  return {
    top,
    terms: ['largest', 'item', 'heapq'],
    signals: {
      dense: Math.max(0, ...top.map((t) => t.similarity ?? 0)),
      coverage: Math.max(0, ...top.map((t) => t.coverage)),
      unknown,
      unknownNames,
    },
  };
}

describe('decide', () => {
  it('answers when a lower hit is relevant on its own, though the first is not', () => {
    // First: weak similarity, one term of three. Second: the same similarity, two terms of three.
    expect(decide(ranked([{ similarity: 0.3, coverage: 1 / 3 }, { similarity: 0.3, coverage: 2 / 3 }]), DEFAULT_RELEVANCE)).toBe(true);
  });

  it('declines when no hit is relevant on its own, whatever their best figures combined', () => {
    // The best similarity and the best coverage belong to different hits, neither enough alone.
    expect(decide(ranked([{ similarity: 0.4, coverage: 0.2 }, { similarity: 0.2, coverage: 0.8 }]), DEFAULT_RELEVANCE)).toBe(false);
    expect(decide(ranked([]), DEFAULT_RELEVANCE)).toBe(false);
  });

  it('declines a question naming something the library never mentions, even on a strong hit', () => {
    expect(decide(ranked([{ similarity: 0.9, coverage: 0.9 }], ['schemacheck'], ['schemacheck']), DEFAULT_RELEVANCE)).toBe(false);
    expect(decide(ranked([{ similarity: null, coverage: 0.9 }], ['schemacheck'], ['schemacheck']), DEFAULT_RELEVANCE)).toBe(false);
  });

  it('judges lexical-only hits (no similarity) by coverage alone', () => {
    expect(decide(ranked([{ similarity: null, coverage: 0.2 }, { similarity: null, coverage: 0.5 }]), DEFAULT_RELEVANCE)).toBe(true);
    expect(decide(ranked([{ similarity: null, coverage: 0.4 }]), DEFAULT_RELEVANCE)).toBe(false);
  });
});
