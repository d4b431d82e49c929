import { processTerm, tokenize } from '../index/tokenize.js';
import { SEARCH_DEFAULTS } from './defaults.js';

// Words that phrase a question rather than name its subject; they would dilute coverage.
const QUESTION_WORDS = new Set(
  ('about all also any been being both did does doing done each few get got give given just kind know made make ' +
    'many might more most much need now only other over same should some sort such tell thing too very want way ' +
    'whom whose way etc use using used').split(' '),
);

// The closed classes a paraphrase adds: the asker's pronouns ("ask me its setup questions", "my
// laptop") and adverbs of time, degree and doubt ("again", "lately", "probably"), which passages
// seldom repeat. They count toward no coverage (see `askedTerms`), but still choose the quoted
// sentence ("… even if it is a downgrade").
const PARAPHRASE_WORDS = new Set(
  ('me my myself mine he him his she her hers us ours one ones someone anyone something anything somewhere anywhere ' +
    'again already still yet ever even once lately recently currently really actually probably perhaps maybe somehow')
    .split(' ')
    .flatMap((word) => contentTerms(word)),
);

/** The question's terms (from `contentTerms`) that a passage answering it should hold: without the paraphrase's pronouns and adverbs. */
export function askedTerms(terms: string[]): string[] {
  return terms.filter((term) => !PARAPHRASE_WORDS.has(term));
}

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

// A word written as a name: capitalised where a sentence does not begin ("in Docker Compose",
// "in Paris"), an acronym ("AWS"), or letters mixed with digits ("S3", "log4j").
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_]*/gu;
const CAPITALISED = /^\p{Lu}/u;
const ACRONYM = /^\p{Lu}{2,}\p{N}*$/u;
const LETTERS_AND_DIGITS = /^(?=.*\p{L})(?=.*\p{N})/u;

/** The question's first word that gives `term` (its `contentTerms` form), as written: "Naples" for "naple". */
export function wordFor(question: string, term: string): string {
  for (const [word] of question.matchAll(WORD)) if (contentTerms(word).includes(term)) return word;
  return term;
}

/** A name as the question writes it: one word, or adjacent ones ("Docker Compose"), with their terms. */
export interface WrittenName {
  text: string;
  terms: string[];
}

/** The names the question writes as names; adjacent name words make one name ("in Docker Compose"). */
export function writtenNames(question: string): WrittenName[] {
  const names: Array<{ start: number; end: number; terms: string[] }> = [];
  for (const match of question.matchAll(WORD)) {
    const word = match[0];
    let at = match.index - 1;
    while (at >= 0 && ' \t\r'.includes(question[at]!)) at--;
    const startsSentence = at < 0 || '.!?:\n'.includes(question[at]!);
    const nameLike = ACRONYM.test(word) || LETTERS_AND_DIGITS.test(word) || (CAPITALISED.test(word) && !startsSentence);
    const terms = nameLike ? contentTerms(word) : [];
    if (terms.length === 0) continue;
    const previous = names.at(-1);
    // Only spaces between this name word and the last one: the same name.
    if (previous && /^[ \t]+$/.test(question.slice(previous.end, match.index))) {
      previous.end = match.index + word.length;
      previous.terms.push(...terms);
    } else {
      names.push({ start: match.index, end: match.index + word.length, terms });
    }
  }
  return names.map(({ start, end, terms }) => ({ text: question.slice(start, end), terms: [...new Set(terms)] }));
}

/** Terms of the words the question writes as names (the forms `contentTerms` gives). */
export function nameLikeTerms(question: string): string[] {
  return [...new Set(writtenNames(question).flatMap((name) => name.terms))];
}

/**
 * The question's terms (`terms`, from `contentTerms`) that the library never mentions, when they are
 * a fifth of them or more: then they are what the question is about ("undo the last git commit").
 * One ordinary unknown word among many known ones is the asker's context ("our bot takes commands
 * like…"). Names are judged apart, passage by passage (see `specificNames` in names.ts).
 */
export function unknownSubjects(terms: string[], knows: (term: string) => boolean): string[] {
  const neverSeen = terms.filter((term) => !knows(term));
  return neverSeen.length >= SEARCH_DEFAULTS.unknownShare * terms.length ? neverSeen : [];
}
