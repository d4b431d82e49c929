import { readFile } from 'node:fs/promises';
import type { SearchMode } from '../search/search.js';

/** One line of a question set: `answer` is a substring of the answering passage, or null when none answers. */
export interface EvalQuestion {
  q: string;
  answer: string | null;
  /** Acceptable document paths (relative to the docs folder); a hit from one of them counts too. */
  pages?: string[];
}

export interface Retrieved {
  answered: boolean;
  /** The ranked hits, declined or not; `quote` is what the reader is shown of a hit, when it is shown. */
  hits: Array<{ passage: string; path: string; quote?: string }>;
  /** Why each ranked hit was not quoted on its own, in rank order (see `declineRule`), for `--verbose`. */
  why?: string[];
  /** When declined: which of `hits` the reader is pointed to as the nearest sections (see `nearestSections`). */
  nearest?: number[];
}

export type Retriever = (question: string, k: number, mode: SearchMode) => Promise<Retrieved>;

export interface EvalReport {
  mode: SearchMode;
  k: number;
  questions: number;
  answerable: number;
  unanswerable: number;
  hitAt1: number;
  hitAtK: number;
  /**
   * Share of questions with an answer text whose top k holds a passage containing it: stricter than
   * hit@k, which also counts any passage of an acceptable page. It is what gets quoted. Null when
   * no question gives an answer text.
   */
  answerAtK: number | null;
  /**
   * Share of questions with an answer text for which a quote shown to the reader overlaps it: what
   * answer@k counts, narrowed to the sentence actually quoted from the passage. Null when no
   * question gives an answer text.
   */
  quoteAtK: number | null;
  mrr: number;
  /** Share of unanswerable questions that were declined. */
  noAnswerAccuracy: number;
  /** Share of answerable questions that were declined. */
  falseDeclines: number;
  /**
   * Declines counted: answerable questions declined, and how many of them the nearest sections named
   * point to an answering passage or page; unanswerable questions declined, and how many of them
   * name nearest sections all the same.
   */
  declines: { answerable: number; answerablePointed: number; unanswerable: number; unanswerablePointed: number };
  misses: Array<{ q: string; rank: number | null; declined: boolean; why?: string[] }>;
}

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, i) => {
    const parsed = JSON.parse(line) as Partial<EvalQuestion>;
    if (typeof parsed.q !== 'string' || !(typeof parsed.answer === 'string' || parsed.answer === null)) {
      throw new Error(`${file}:${i + 1}: expected {"q": string, "answer": string|null}`);
    }
    return { q: parsed.q, answer: parsed.answer, pages: parsed.pages ?? [] };
  });
}

/** Whether a quote, cut from `passage`, shows (part of) an occurrence of `answer` there. */
export function quoteShows(answer: string, passage: string, quote: string): boolean {
  const start = passage.indexOf(quote);
  if (start < 0) return quote.includes(answer);
  for (let at = passage.indexOf(answer); at >= 0; at = passage.indexOf(answer, at + 1)) {
    if (at < start + quote.length && at + answer.length > start) return true;
  }
  return false;
}

function isHit(question: EvalQuestion, hit: { passage: string; path: string }): boolean {
  if (question.answer !== null && hit.passage.includes(question.answer)) return true;
  return (question.pages ?? []).includes(hit.path);
}

/** Ranking figures are computed on the ranked hits whether or not the answer was declined. */
export async function evaluate(questions: EvalQuestion[], retrieve: Retriever, k: number, mode: SearchMode): Promise<EvalReport> {
  let hit1 = 0;
  let hitK = 0;
  let withAnswer = 0;
  let answerK = 0;
  let quoteK = 0;
  let reciprocal = 0;
  let declinedUnanswerable = 0;
  let declinedAnswerable = 0;
  let declinedPointed = 0;
  let offTopicPointed = 0;
  const misses: EvalReport['misses'] = [];
  for (const question of questions) {
    const result = await retrieve(question.q, k, mode);
    if (question.answer === null && !(question.pages ?? []).length) {
      if (!result.answered) declinedUnanswerable++;
      if (!result.answered && (result.nearest ?? []).length > 0) offTopicPointed++;
      if (result.answered) misses.push({ q: question.q, rank: null, declined: false, why: result.why });
      continue;
    }
    const index = result.hits.findIndex((hit) => isHit(question, hit));
    if (question.answer !== null) {
      withAnswer++;
      if (result.hits.some((hit) => hit.passage.includes(question.answer!))) answerK++;
      if (result.hits.some((hit) => hit.quote !== undefined && quoteShows(question.answer!, hit.passage, hit.quote))) quoteK++;
    }
    if (!result.answered) declinedAnswerable++;
    if (!result.answered && (result.nearest ?? []).some((i) => result.hits[i] !== undefined && isHit(question, result.hits[i]!))) declinedPointed++;
    if (index === 0) hit1++;
    if (index >= 0) {
      hitK++;
      reciprocal += 1 / (index + 1);
    }
    if (index !== 0 || !result.answered) misses.push({ q: question.q, rank: index >= 0 ? index + 1 : null, declined: !result.answered, why: result.why });
  }
  const unanswerable = questions.filter((q) => q.answer === null && !(q.pages ?? []).length).length;
  const answerable = questions.length - unanswerable;
  const share = (n: number, of: number) => (of === 0 ? 1 : Number((n / of).toFixed(3)));
  return {
    mode,
    k,
    questions: questions.length,
    answerable,
    unanswerable,
    hitAt1: share(hit1, answerable),
    hitAtK: share(hitK, answerable),
    answerAtK: withAnswer === 0 ? null : share(answerK, withAnswer),
    quoteAtK: withAnswer === 0 ? null : share(quoteK, withAnswer),
    mrr: share(reciprocal, answerable),
    noAnswerAccuracy: share(declinedUnanswerable, unanswerable),
    falseDeclines: answerable === 0 ? 0 : share(declinedAnswerable, answerable),
    declines: { answerable: declinedAnswerable, answerablePointed: declinedPointed, unanswerable: declinedUnanswerable, unanswerablePointed: offTopicPointed },
    misses,
  };
}

export function formatReports(reports: EvalReport[]): string {
  const header = '| mode | questions | hit@1 | hit@k | answer@k | quote@k | MRR | no-answer accuracy | false declines |';
  const rows = reports.map(
    (r) =>
      `| ${r.mode} | ${r.answerable}+${r.unanswerable} | ${r.hitAt1.toFixed(3)} | ${r.hitAtK.toFixed(3)} (k=${r.k}) | ${r.answerAtK?.toFixed(3) ?? '—'} | ${r.quoteAtK?.toFixed(3) ?? '—'} | ${r.mrr.toFixed(3)} | ${r.noAnswerAccuracy.toFixed(3)} | ${r.falseDeclines.toFixed(3)} |`,
  );
  // Declines counted, not shared: what the nearest sections a declined question names are worth.
  const pointed = reports.map(
    (r) =>
      `[${r.mode}] declined ${r.declines.answerable} of ${r.answerable} answerable (the nearest sections named point to the answer for ${r.declines.answerablePointed}), ` +
      `${r.declines.unanswerable} of ${r.unanswerable} unanswerable (${r.declines.unanswerablePointed} naming nearest sections)`,
  );
  return [header, '|---|---|---|---|---|---|---|---|---|', ...rows, '', ...pointed].join('\n');
}
