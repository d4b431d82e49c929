import { processTerm, tokenize } from '../index/tokenize.js';

// Words that phrase a question rather than name its subject; they would dilute coverage.
const QUESTION_WORDS = new Set(
  ('about all also any been being both did does doing done each few get got give given just kind know made make ' +
    'many might more most much need now only other over same should some sort such tell thing too very want way ' +
    'whom whose way etc use using used').split(' '),
);

/** Indexed terms of a question or sentence (same tokenizer as BM25), unique, question phrasing removed. */
export function contentTerms(text: string): string[] {
  const seen = new Set<string>();
  for (const token of tokenize(text)) {
    if (QUESTION_WORDS.has(token) || token.length < 2) continue;
    const processed = processTerm(token);
    if (processed === null) continue;
    seen.add(Array.isArray(processed) ? processed[0]! : processed);
  }
  return [...seen];
}

// Nouns that make the word before them a name: "the schemacheck module", "a frobnicate() function".
const ARTIFACT = /([\p{L}\p{N}_.]+)(?:\(\))?\s+(?:module|package|library|function|method|class|command|plugin|extension|decorator)s?\b/giu;

/**
 * Terms the question uses as the name of a thing ("the schemacheck module"). If the library never
 * mentions such a name, no passage can be about it, however well the rest of the question matches.
 */
export function namedTerms(question: string): string[] {
  const names = new Set<string>();
  for (const match of question.matchAll(ARTIFACT)) {
    for (const term of contentTerms(match[1]!)) names.add(term);
  }
  return [...names];
}
