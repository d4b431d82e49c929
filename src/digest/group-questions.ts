import type { LoggedQuestion } from '../records/question-log.js';
import { dot } from './vectors.js';

export interface QuestionGroup {
  /** The most common wording, the earliest on a tie. */
  question: string;
  members: LoggedQuestion[];
}

/** Case, spacing and trailing punctuation do not make a different question. */
const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').replace(/[\s?!.]+$/, '').trim();

/**
 * Groups near-duplicate questions: identical once normalised, or with embeddings whose cosine is
 * at least `similarity`. Greedy in order of asking: a question joins the first group whose first
 * wording it is close to, so a group never drifts away from what started it.
 */
export async function groupQuestions(
  questions: LoggedQuestion[],
  embed: (texts: string[]) => Promise<Float32Array[]>,
  similarity: number,
): Promise<QuestionGroup[]> {
  const byWording = new Map<string, LoggedQuestion[]>();
  for (const q of questions) {
    const key = normalise(q.question);
    const same = byWording.get(key);
    if (same) same.push(q);
    else byWording.set(key, [q]);
  }
  const wordings = [...byWording.keys()];
  const vectors = wordings.length > 1 ? await embed(wordings) : [];
  const clusters: Array<{ vector: Float32Array | undefined; wordings: string[] }> = [];
  wordings.forEach((wording, i) => {
    const vector = vectors[i];
    const near = vector && clusters.find((c) => c.vector && dot(c.vector, vector) >= similarity);
    if (near) near.wordings.push(wording);
    else clusters.push({ vector, wordings: [wording] });
  });
  return clusters.map((cluster) => {
    const groups = cluster.wordings.map((w) => byWording.get(w)!);
    const commonest = groups.reduce((best, g) => (g.length > best.length ? g : best));
    return { question: commonest[0]!.question.trim(), members: groups.flat().sort((a, b) => a.askedAt.getTime() - b.askedAt.getTime()) };
  });
}
