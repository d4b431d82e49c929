// The answer rule's similarity thresholds on the embedder's own scale. Embedders differ in how
// similar they find unrelated texts: USE-lite scores a question against an unrelated passage near
// 0.1, BERT-style models such as MiniLM far higher, so a cosine of 0.45 means "related" to one and
// "anything" to another. When an index is built, its embedder is measured on reference pairs whose
// relatedness is known — a question with the passage that answers it, and with an answer on
// another subject — and the thresholds are placed between those two medians, so they move with
// any embedder that shifts or stretches the scale.
//
// The reference pairs are fixed text rather than the library's own headings and sections: headings
// measure the corpus as much as the embedder (on the Python docs a heading scores a random other
// page's section at 0.40 with USE-lite, because every page shares the docs' vocabulary; the sample
// corpus has no headings at all), so the same embedder would get other thresholds in every library.
import type { Embedder } from './embedder.js';
import { questionVector } from './question-vector.js';

/** What the index records of its embedder's similarity scale (the manifest's `similarityScale`). */
export interface SimilarityScale {
  /** Median cosine of a reference question to the passage that answers it. */
  related: number;
  /** Median cosine of a reference question to a passage on another subject. */
  unrelated: number;
  /** How the questions were embedded (`SCALE_METHOD`); a scale measured otherwise is measured again. */
  method?: string;
}

/**
 * The way questions are embedded for search and for the scale alike (see `questionVector`): a
 * scale recorded under another method describes other query vectors.
 */
export const SCALE_METHOD = 'question-and-content/1';

/** The recorded scale if it was measured the way questions are embedded now, else undefined. */
export function currentScale(scale: SimilarityScale | undefined): SimilarityScale | undefined {
  return scale?.method === SCALE_METHOD ? scale : undefined;
}

/** Questions with the passage answering each; question i against passage i + half is unrelated. */
const REFERENCE: ReadonlyArray<readonly [question: string, passage: string]> = [
  ['How long should pasta boil?', 'Cook the spaghetti in salted boiling water for nine to eleven minutes, until it is firm to the bite.'],
  ['When was the Eiffel Tower built?', 'The Eiffel Tower was constructed between 1887 and 1889 as the entrance arch to the World Fair in Paris.'],
  ['Why is the sky blue?', 'Sunlight is scattered by the molecules of the atmosphere, and blue light, with its shorter wavelength, is scattered most.'],
  ['How do I reset my password?', 'To change a forgotten password, choose "Forgot password" on the sign-in page and follow the link sent to your email address.'],
  ['What causes inflation?', 'Prices rise across an economy when demand outpaces supply or when the money supply grows faster than output.'],
  ['How many players are on a football team?', 'Each side fields eleven players, one of whom is the goalkeeper, and may make up to five substitutions.'],
  ['What do bees make?', 'Honey bees collect nectar from flowers and store it in wax combs, where it ripens into honey.'],
  ['How do vaccines work?', 'A vaccine trains the immune system to recognise a pathogen, so that the body produces antibodies before a real infection.'],
  ['Who wrote Hamlet?', 'Hamlet is a tragedy written by William Shakespeare around 1600, set in the royal court of Denmark.'],
  ['How do I sort a list of numbers?', 'The sort method orders the elements of a list in place, from the smallest value to the largest by default.'],
  ['What is the capital of Japan?', "Tokyo, the country's capital and largest city, is home to the Imperial Palace and the national parliament."],
  ['How often should I water a cactus?', 'Desert cacti need water only every two to three weeks in summer, and hardly at all during the winter months.'],
  ['What is the speed of light?', 'In a vacuum, light travels at about 299,792 kilometres per second, the fastest speed anything can reach.'],
  ['How can I lower my electricity bill?', 'Switching to LED bulbs, unplugging idle devices and insulating the attic all reduce the power a household uses.'],
  ['Why do leaves change colour in autumn?', 'As days shorten, trees stop making chlorophyll, and the yellow and orange pigments already in the leaves show through.'],
  ['How do I back up my files?', 'Copy your documents to an external drive or a cloud service regularly, so that a failed disk does not lose them.'],
];

/** Passages the measurement embeds (once per index: see `Manifest.similarityScale`). */
export const REFERENCE_PASSAGES = REFERENCE.length;

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Measures the embedder on the reference pairs: 16 questions and 16 passages, about 0.1 s with USE-lite. */
export async function measureScale(embedder: Embedder): Promise<SimilarityScale> {
  const questions = await Promise.all(REFERENCE.map(([question]) => questionVector(embedder, question)));
  const passages = await embedder.embedPassages(REFERENCE.map(([, passage]) => passage));
  const half = REFERENCE.length >> 1;
  const related = questions.map((question, i) => dot(question, passages[i]!));
  const unrelated = questions.map((question, i) => dot(question, passages[(i + half) % REFERENCE.length]!));
  const round = (value: number) => Number(value.toFixed(4));
  return { related: round(median(related)), unrelated: round(median(unrelated)), method: SCALE_METHOD };
}

