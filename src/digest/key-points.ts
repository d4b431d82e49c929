import { sentenceSpans } from '../passages/sentences.js';
import type { DigestPoint } from './digest.js';
import type { DigestDocument } from './sources.js';
import { centroid, dot } from './vectors.js';

/** Sentences shorter than this are headings, datelines or fragments rather than points. */
const MIN_POINT_CHARS = 40;
/** Bounds the embedding work on a very long document; its opening carries its main points anyway. */
const MAX_CANDIDATES = 150;

/**
 * A document's points for the digest, extractive and verbatim: its "Key Takeaways" items when it
 * has them, else its `max` sentences most similar to the document's mean sentence embedding,
 * kept in reading order. Sentences of its prose only: in API docs a code example's
 * `use std::alloc::{alloc, Layout};` is as central as anything and says nothing.
 */
export async function keyPointsOf(
  doc: DigestDocument,
  embed: (texts: string[]) => Promise<Float32Array[]>,
  max: number,
): Promise<{ from: 'key-takeaways' | 'central-sentences'; points: DigestPoint[] }> {
  if (doc.keyPoints.length > 0) return { from: 'key-takeaways', points: doc.keyPoints.slice(0, max).map((span) => pointAt(doc, span)) };

  const candidates = doc.passages
    .flatMap((passage) => sentenceSpans(doc.text, passage.start, passage.end))
    .filter((span) => span.end - span.start >= MIN_POINT_CHARS && !doc.code.some((code) => span.start < code.end && code.start < span.end))
    .slice(0, MAX_CANDIDATES);
  let chosen = candidates;
  if (candidates.length > max) {
    const vectors = await embed(candidates.map((span) => doc.text.slice(span.start, span.end)));
    const centre = centroid(vectors);
    chosen = candidates
      .map((span, i) => ({ span, score: dot(vectors[i]!, centre) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, max)
      .map((c) => c.span)
      .sort((a, b) => a.start - b.start);
  }
  return { from: 'central-sentences', points: chosen.map((span) => pointAt(doc, span)) };
}

function pointAt(doc: DigestDocument, span: { start: number; end: number }): DigestPoint {
  const passage = doc.passages.findLast((p) => p.start <= span.start) ?? doc.passages[0];
  return { text: doc.text.slice(span.start, span.end).trim(), ref: passage?.ref ?? doc.id };
}
