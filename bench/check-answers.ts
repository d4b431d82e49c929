// Checks a question set against its documents as archivist loads them (src/corpus/load.ts), without
// running search: every answer must be quotable, or the set measures the loader instead of retrieval.
//
//   npx tsx bench/check-answers.ts tests/fixtures/eval/seeds-paraphrase-dev.jsonl --docs seeds
//
// Fails (exit 1) when a line is not {id, q, answer, pages, kind}, an id repeats, a page is not a
// loaded document, or an answer is not an exact substring of one paragraph (block) of one of its
// pages: a quote never joins paragraphs. Warns when the answer spans sentences as
// src/passages/sentences.ts cuts them: a long paragraph is split into passages between sentences,
// so such an answer may not be found whole in any passage.
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../src/corpus/load.js';
import { sentenceSpans } from '../src/passages/sentences.js';
import type { Document } from '../src/types.js';

interface Line {
  id: string;
  q: string;
  answer: string | null;
  pages: string[];
  kind: string;
}

/** Short answers keep quote@k meaningful: a long answer overlaps almost any quote of its passage. */
const MIN_WORDS = 4;
const MAX_WORDS = 20;

function parseLine(text: string, where: string, problems: string[]): Line | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    problems.push(`${where}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    return undefined;
  }
  const line = value as Partial<Line>;
  const fields =
    typeof line.id === 'string' &&
    typeof line.q === 'string' &&
    (typeof line.answer === 'string' || line.answer === null) &&
    Array.isArray(line.pages) &&
    line.pages.every((page) => typeof page === 'string') &&
    typeof line.kind === 'string';
  if (!fields) {
    problems.push(`${where}: expected {"id", "q", "answer": string|null, "pages": string[], "kind"}`);
    return undefined;
  }
  return line as Line;
}

function checkAnswer(line: Line, where: string, docs: Map<string, Document>, problems: string[], warnings: string[]): void {
  if (line.answer === null) {
    if (line.pages.length > 0) problems.push(`${where}: an unanswerable question names pages, so eval would count it answerable`);
    return;
  }
  const words = line.answer.trim().split(/\s+/).length;
  if (words < MIN_WORDS || words > MAX_WORDS) problems.push(`${where}: the answer has ${words} words (keep ${MIN_WORDS}-${MAX_WORDS})`);
  if (line.pages.length === 0) problems.push(`${where}: an answer without pages`);
  let inBlock = false;
  let inSentence = false;
  for (const page of line.pages) {
    const doc = docs.get(page);
    if (doc === undefined) {
      problems.push(`${where}: page ${page} is not a loaded document`);
      continue;
    }
    for (const block of doc.blocks) {
      if (!doc.text.slice(block.start, block.end).includes(line.answer)) continue;
      inBlock = true;
      for (const sentence of sentenceSpans(doc.text, block.start, block.end)) {
        if (doc.text.slice(sentence.start, sentence.end).includes(line.answer)) inSentence = true;
      }
    }
  }
  if (!inBlock) {
    const anywhere = line.pages.some((page) => docs.get(page)?.text.includes(line.answer!));
    problems.push(`${where}: answer ${JSON.stringify(line.answer)} ${anywhere ? 'crosses a paragraph boundary' : 'is not in the text of its pages'}`);
  } else if (!inSentence) {
    warnings.push(`${where}: answer ${JSON.stringify(line.answer)} spans sentences, so a passage may hold only part of it`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const docsAt = args.indexOf('--docs');
  if (docsAt < 0 || args[docsAt + 1] === undefined) throw new Error('usage: check-answers FILE... --docs DIR');
  const dir = args[docsAt + 1]!;
  const files = args.filter((_, i) => i !== docsAt && i !== docsAt + 1);
  const { documents } = await loadCorpus(dir);
  const docs = new Map(documents.map((doc) => [doc.path, doc]));
  const problems: string[] = [];
  const warnings: string[] = [];
  const ids = new Set<string>();
  const kinds = new Map<string, number>();
  let count = 0;
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (text.trim() === '') return;
        const where = `${file}:${i + 1}`;
        const line = parseLine(text, where, problems);
        if (line === undefined) return;
        count++;
        if (ids.has(line.id)) problems.push(`${where}: id ${line.id} repeats`);
        ids.add(line.id);
        kinds.set(line.kind, (kinds.get(line.kind) ?? 0) + 1);
        checkAnswer(line, where, docs, problems, warnings);
      });
  }
  const byKind = [...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ');
  console.log(`${count} questions over ${documents.length} documents (${byKind})`);
  for (const warning of warnings) console.error(`warning: ${warning}`);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`${problems.length} problem(s)`);
    process.exitCode = 1;
  }
}

await main();
