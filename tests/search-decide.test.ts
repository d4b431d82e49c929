import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_RELEVANCE, quotable, type Ranked } from '../src/search/search.js';

// The answer/decline rule on its own: which ranked hits are worth quoting.
function ranked(hits: Array<{ similarity: number | null; coverage: number; missing?: string[] }>, unknown: string[] = [], names = 0): Ranked {
  const top = hits.map(({ missing = [], ...hit }, i) => ({ label: i, score: 1 - i / 10, missingNames: missing.map((name) => ({ name, inLibrary: true })), ...hit }));
  return {
    top,
    terms: ['largest', 'item', 'heapq'],
    codeNames: [],
    signals: {
      dense: Math.max(0, ...top.map((t) => t.similarity ?? 0)),
      coverage: Math.max(0, ...top.map((t) => t.coverage)),
      unknown,
      names,
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

  it('does not quote a hit that mentions none of the rare names the question gives, however strong', () => {
    expect(decide(ranked([{ similarity: 0.9, coverage: 0.9, missing: ['schemacheck'] }], [], 1), DEFAULT_RELEVANCE)).toBe(false);
    expect(decide(ranked([{ similarity: null, coverage: 0.9, missing: ['schemacheck'] }], [], 1), DEFAULT_RELEVANCE)).toBe(false);
    expect(decide(ranked([{ similarity: 0.9, coverage: 0.9, missing: ['java'] }, { similarity: 0.5, coverage: 0.5 }], [], 1), DEFAULT_RELEVANCE)).toBe(true);
    // Of two names, one is enough; neither is not.
    expect(decide(ranked([{ similarity: 0.9, coverage: 0.9, missing: ['english'] }], [], 2), DEFAULT_RELEVANCE)).toBe(true);
    expect(decide(ranked([{ similarity: 0.9, coverage: 0.9, missing: ['english', 'german'] }], [], 2), DEFAULT_RELEVANCE)).toBe(false);
  });

  it('answers from a passage holding every word of the question and the rare name it gives, whatever its cosine', () => {
    expect(decide(ranked([{ similarity: 0.2, coverage: 1 }], [], 1), DEFAULT_RELEVANCE)).toBe(true);
    expect(decide(ranked([{ similarity: 0.2, coverage: 1 }], [], 0), DEFAULT_RELEVANCE)).toBe(false);
    expect(decide(ranked([{ similarity: 0.2, coverage: 0.9 }], [], 1), DEFAULT_RELEVANCE)).toBe(false);
  });

  it('declines a question whose unknown words are its subject unless a hit covers half of it', () => {
    expect(decide(ranked([{ similarity: 0.9, coverage: 0.4 }], ['git', 'commit']), DEFAULT_RELEVANCE)).toBe(false);
    expect(decide(ranked([{ similarity: 0.9, coverage: 0.5 }], ['git', 'commit']), DEFAULT_RELEVANCE)).toBe(true);
  });

  it('judges lexical-only hits (no similarity) by coverage alone', () => {
    expect(decide(ranked([{ similarity: null, coverage: 0.2 }, { similarity: null, coverage: 0.5 }]), DEFAULT_RELEVANCE)).toBe(true);
    expect(decide(ranked([{ similarity: null, coverage: 0.4 }]), DEFAULT_RELEVANCE)).toBe(false);
  });
});

describe('quotable', () => {
  const labels = (r: Ranked) => quotable(r, DEFAULT_RELEVANCE).map((hit) => hit.label);

  it('quotes beside a relevant hit one holding as much of the question, though its cosine is lower', () => {
    // Debian Reference: the answer at 0.447 behind 0.498, both holding two of five question terms.
    expect(labels(ranked([{ similarity: 0.498, coverage: 0.4 }, { similarity: 0.447, coverage: 0.4 }]))).toEqual([0, 1]);
  });

  it('quotes a hit holding half as much of the question, not less, nor one below the floor or missing every name', () => {
    expect(labels(ranked([{ similarity: 0.498, coverage: 0.4 }, { similarity: 0.447, coverage: 0.1 }]))).toEqual([0]);
    expect(labels(ranked([{ similarity: 0.498, coverage: 0.4 }, { similarity: 0.447, coverage: 0.2 }]))).toEqual([0, 1]);
    expect(labels(ranked([{ similarity: 0.498, coverage: 0.4 }, { similarity: 0.2, coverage: 0.4 }]))).toEqual([0]);
    expect(labels(ranked([{ similarity: 0.498, coverage: 0.4 }, { similarity: 0.447, coverage: 0.4, missing: ['java'] }], [], 1))).toEqual([0]);
  });

  it('quotes nothing for a declined question, whatever its hits share', () => {
    expect(labels(ranked([{ similarity: 0.4, coverage: 0.4 }, { similarity: 0.4, coverage: 0.4 }]))).toEqual([]);
  });
});
