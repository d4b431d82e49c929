// The answer rule's similarity thresholds placed on the scale the index measured of its embedder
// (see embed/similarity-scale.ts): the same rule for USE-lite, MiniLM or any other model.
import type { SimilarityScale } from '../embed/similarity-scale.js';
import { SEARCH_DEFAULTS } from './defaults.js';
import type { Relevance } from './search.js';

/** The answer rule with its similarity thresholds placed on `scale`; `fallback` without one. */
export function relevanceFor(scale: SimilarityScale | undefined, fallback: Relevance): Relevance {
  const span = scale ? scale.related - scale.unrelated : 0;
  // A scale on which related texts do not beat unrelated ones cannot place a threshold.
  if (!scale || !(span > 0)) return fallback;
  const round = (value: number) => Number(value.toFixed(4));
  return {
    ...fallback,
    denseAccept: round(scale.unrelated + SEARCH_DEFAULTS.scalePositions.accept * span),
    denseFloor: round(scale.unrelated + SEARCH_DEFAULTS.scalePositions.floor * span),
  };
}
