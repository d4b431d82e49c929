// The answer rule's similarity thresholds placed on the scale the index measured of its embedder
// (see embed/similarity-scale.ts): the same rule for USE-lite, MiniLM or any other model.
import type { SimilarityScale } from '../embed/similarity-scale.js';
import type { Relevance } from './search.js';

// ── Tuning (default, and why) ────────────────────────────────────────────────────────────────
/**
 * Where the thresholds sit between the unrelated (0) and the related (1) median. Fitted so that
 * the bundled encoder's scale gives back the thresholds calibrated on the dev sets (accept 0.45,
 * floor 0.25; see docs/retrieval.md, "Calibrating the no-answer threshold"): its medians are 0.1032 and
 * 0.5647, so (0.45 − 0.1032) / 0.4615 and (0.25 − 0.1032) / 0.4615.
 */
export const ACCEPT_POSITION = 0.7515;
export const FLOOR_POSITION = 0.3181;
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The answer rule with its similarity thresholds placed on `scale`; `fallback` without one. */
export function relevanceFor(scale: SimilarityScale | undefined, fallback: Relevance): Relevance {
  const span = scale ? scale.related - scale.unrelated : 0;
  // A scale on which related texts do not beat unrelated ones cannot place a threshold.
  if (!scale || !(span > 0)) return fallback;
  const round = (value: number) => Number(value.toFixed(4));
  return {
    ...fallback,
    denseAccept: round(scale.unrelated + ACCEPT_POSITION * span),
    denseFloor: round(scale.unrelated + FLOOR_POSITION * span),
  };
}
