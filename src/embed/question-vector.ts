import type { Embedder } from './embedder.js';

/**
 * The words that frame a question rather than say what it is about: a leading question word and
 * the auxiliaries after it ("How do", "What is", "How many"), or a leading auxiliary ("Did",
 * "Is there"), then a subject pronoun ("I", "we", "you"), and the question mark.
 */
const WH_FRAME = /^\s*(?:what|which|who|whom|whose|where|when|why|how)(?:\s+(?:many|much|often|long|do|does|did|is|are|was|were|can|could|should|would|will|has|have|had))*\s+/i;
const AUX_FRAME = /^\s*(?:do|does|did|is|are|was|were|can|could|should|would|will|has|have|had|might|may|must)\s+/i;
const SUBJECT = /^(?:i|we|you)\s+/i;

/** A question without its interrogative frame ("How do I copy a folder?" → "copy a folder"); the text itself when it has none. */
export function questionContent(question: string): string {
  const framed = question.trim().replace(/\?+$/, '').trim();
  const unframed = WH_FRAME.test(framed) ? framed.replace(WH_FRAME, '') : framed.replace(AUX_FRAME, '');
  if (unframed === framed) return question;
  const content = unframed.replace(SUBJECT, '').trim();
  return content === '' ? question : content;
}

/**
 * The vector a question is searched with: the mean of the question's own vector and that of its
 * content (see `questionContent`), normalised. Sentence encoders put much of a short question's
 * vector into its form ("How do I …?"), which no passage shares; the content's vector pulls it
 * towards the passages that say the thing. A text without a frame is embedded once.
 */
export async function questionVector(embedder: Embedder, question: string): Promise<Float32Array> {
  const content = questionContent(question);
  if (content === question) return embedder.embedQuery(question);
  const [whole, inner] = await Promise.all([embedder.embedQuery(question), embedder.embedQuery(content)]);
  const mean = new Float32Array(whole.length);
  let norm = 0;
  for (let i = 0; i < mean.length; i++) {
    mean[i] = whole[i]! + inner[i]!;
    norm += mean[i]! * mean[i]!;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < mean.length; i++) mean[i]! /= norm;
  return mean;
}
