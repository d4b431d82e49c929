// People the library names by their office, as reports do: "Russia’s Foreign Minister Sergey
// Lavrov", "the NATO Secretary General, Mark Rutte", "Ukrainian President Volodymyr Zelensky".
// A question may name either ("Russia's foreign minister", "Mark Rutte") where a later passage
// names only the other ("Lavrov said…"). Like the acronyms the library defines, they are found
// when a question needs them, in the few passages mentioning its words.
import type { Lexicon } from '../lexicon/expand.js';
import { SEARCH_DEFAULTS } from './defaults.js';
import type { SearchableIndex } from './search.js';
import { contentTerms, writtenNames } from './terms.js';

/** A word of a text, without its possessive ("Russia’s": "Russia"), with its `contentTerms` form. */
interface Word {
  text: string;
  term: string | undefined;
  start: number;
  /** Where the word ends, its possessive included. */
  end: number;
}

/** Capitalised words in a row ("US Secretary of State Antony Blinken"); `afterComma`: it follows the previous run and a comma ("…General, Mark Rutte"). */
interface Run {
  words: Word[];
  afterComma: boolean;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}&-]*/gu;
/** Sticky: matched at the end of a word, not searched for in the rest of the text. */
const POSSESSIVE = /['’]s\b/uy;
const CAPITALISED = /^\p{Lu}/u;
/** A lower-case word inside an office's name: "Secretary of State". */
const JOINER = 'of';
/** Words a question's office may take after the place: "foreign minister", "secretary general". */
const MAX_TITLE_WORDS = 3;
/** Words of a person's name after the office: "Yoon Suk Yeol". */
const MAX_PERSON_WORDS = 3;

/** The words of a text; only those `needsTerm` picks get their term (tokenising every word of 200 passages is most of the cost). */
function words(text: string, needsTerm: (word: string) => boolean = () => true): Word[] {
  const out: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    // The "s" of a possessive is part of the word before it.
    if (match.index < (out.at(-1)?.end ?? 0)) continue;
    const end = match.index + match[0].length;
    POSSESSIVE.lastIndex = end;
    const possessive = POSSESSIVE.exec(text);
    const term = needsTerm(match[0]) ? contentTerms(match[0])[0] ?? (match[0] === JOINER ? JOINER : undefined) : undefined;
    out.push({ text: match[0], term, start: match.index, end: end + (possessive ? possessive[0].length : 0) });
  }
  return out;
}

/** The runs of capitalised words in a text: only spaces between their words, "of" allowed inside. */
export function capitalisedRuns(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  let previous: Word | undefined;
  const all = words(text, (word) => word === JOINER || CAPITALISED.test(word));
  all.forEach((word, i) => {
    const gap = previous ? text.slice(previous.end, word.start) : '';
    const capitalised = CAPITALISED.test(word.text);
    const joins = word.text === JOINER && CAPITALISED.test(all[i + 1]?.text ?? '');
    if (current && (capitalised || joins) && /^ +$/.test(gap)) current.words.push(word);
    else if (capitalised) {
      current = { words: [word], afterComma: current !== null && previous === current.words.at(-1) && /^, *$/.test(gap) };
      runs.push(current);
    } else current = null;
    previous = word;
  });
  return runs;
}

const sameTerms = (found: Word[], terms: string[]) => found.length === terms.length && found.every((word, i) => word.term === terms[i]);

/** Where a run holds the terms in a row, or -1. */
function positionOf(run: Run, terms: string[]): number {
  for (let at = 0; at + terms.length <= run.words.length; at++) if (sameTerms(run.words.slice(at, at + terms.length), terms)) return at;
  return -1;
}

/** Passages holding the rarest of the terms, or null when every one is too common to read. */
function passagesFor(index: SearchableIndex, terms: string[]): Set<number> | null {
  let best: Set<number> | null = null;
  for (const term of terms) {
    const found = index.passagesWith(term, SEARCH_DEFAULTS.maxDefiningPassages, true);
    if (found && (best === null || found.size < best.size)) best = found;
  }
  return best;
}

function* runsOf(index: SearchableIndex, labels: Set<number>): Generator<{ runs: Run[]; at: number }> {
  for (const label of labels) {
    const text = index.passage(label)?.text;
    if (text === undefined) continue;
    const runs = capitalisedRuns(text);
    for (let at = 0; at < runs.length; at++) yield { runs, at };
  }
}

const textOf = (found: Word[]) => found.map((word) => word.text).join(' ');

/**
 * The offices the library gives a person the question names ("Mark Rutte" -> "NATO Secretary
 * General"): the capitalised words before the name, or before a comma before it, ending in a
 * word for a kind of person (see `Lexicon.isKindOfPerson`).
 */
export function officesOf(index: SearchableIndex, name: string, lexicon: Lexicon): string[] {
  const terms = contentTerms(name);
  if (terms.length === 0) return [];
  const labels = passagesFor(index, terms);
  if (!labels) return [];
  const out = new Set<string>();
  for (const { runs, at } of runsOf(index, labels)) {
    const run = runs[at]!;
    const position = positionOf(run, terms);
    if (position < 0) continue;
    const before = position > 0 ? run.words.slice(0, position) : run.afterComma && at > 0 ? runs[at - 1]!.words : [];
    // The office ends at its last word for a person: "Russia’s Foreign Minister" of "… Minister Sergey Lavrov".
    const end = before.findLastIndex((_, last) => endsOffice(before, last, lexicon));
    // A bare title ("President Zelensky said") is many people's: only a qualified one stands for the person.
    if (end >= 1) out.add(textOf(before.slice(0, end + 1)));
  }
  return [...out];
}

/** Whether words name an office: a kind of person as a whole ("Secretary of State") or by their last word ("Foreign Minister"). */
function namesOffice(found: Word[], lexicon: Lexicon): boolean {
  return found.length > 0 && (lexicon.isKindOfPerson(textOf(found)) || lexicon.isKindOfPerson(found.at(-1)!.text));
}

/** Whether the words up to `last` end in an office's name: its last word, or a phrase ending there ("Secretary of State"). */
function endsOffice(found: Word[], last: number, lexicon: Lexicon): boolean {
  for (let from = Math.max(0, last - MAX_TITLE_WORDS + 1); from <= last; from++) if (namesOffice(found.slice(from, last + 1), lexicon)) return true;
  return false;
}

/** A question's office and the person the library says holds it. */
export interface OfficeHolder {
  /** The question's words for the office, as terms: the place's and the title's ("russia", "foreign", "minister"). */
  terms: string[];
  /** The name the question writes the office's place in, as `writtenNames` gives it ("Russia", "NATO Secretary General"). */
  name: string;
  person: string;
}

/**
 * The people the library names by an office the question writes: a place it names and a title
 * after it ("Russia's foreign minister", "the NATO Secretary General"), found in the library before
 * a person's name, after the same place or one it pertains to ("Russian Foreign Minister Sergey
 * Lavrov"; see `Lexicon.pertainsTo`).
 */
export function officeHolders(index: SearchableIndex, question: string, lexicon: Lexicon): OfficeHolder[] {
  const out: OfficeHolder[] = [];
  const all = words(question);
  for (const name of writtenNames(question)) {
    const start = question.indexOf(name.text);
    const first = all.findIndex((word) => word.start === start);
    const inName = all.filter((word) => word.start >= start && word.start < start + name.text.length).length;
    if (first < 0) continue;
    for (let split = 1; split <= inName; split++) {
      const place = textOf(all.slice(first, first + split));
      const after = all.slice(first + split, first + inName + MAX_TITLE_WORDS);
      for (let length = 1; length <= Math.min(MAX_TITLE_WORDS, after.length); length++) {
        const title = after.slice(0, length);
        if (title.some((word) => word.term === undefined) || !namesOffice(title, lexicon)) continue;
        for (const person of holders(index, place, title.map((word) => word.term!), lexicon)) {
          if (!out.some((known) => known.person === person && known.name === name.text)) {
            out.push({ terms: [...contentTerms(place), ...title.flatMap((word) => (word.term === JOINER ? [] : [word.term!]))], name: name.text, person });
          }
        }
      }
    }
  }
  return out;
}

/** The people the library writes after the title and after the place or a word pertaining to it. */
function holders(index: SearchableIndex, place: string, title: string[], lexicon: Lexicon): string[] {
  // The title, not the place: the library may write the place otherwise ("US" for America).
  const labels = passagesFor(index, title.filter((term) => term !== JOINER));
  if (!labels) return [];
  const placeKeys = keys(place, lexicon);
  // The same few words come before the title in passage after passage: WordNet is asked once each.
  const known = new Map<string, boolean>();
  const namesPlace = (found: Word[]) => {
    const text = textOf(found);
    let answer = known.get(text);
    if (answer === undefined) known.set(text, (answer = keys(text, lexicon).some((key) => placeKeys.includes(key))));
    return answer;
  };
  const out = new Set<string>();
  for (const { runs, at } of runsOf(index, labels)) {
    const run = runs[at]!;
    const position = positionOf(run, title);
    if (position <= 0) continue;
    const before = run.words.slice(0, position);
    if (![before.slice(-1), before.slice(-2)].some(namesPlace)) continue;
    const rest = run.words.slice(position + title.length);
    const next = runs[at + 1];
    const person = (rest.length > 0 ? rest : next?.afterComma ? next.words : []).slice(0, MAX_PERSON_WORDS);
    if (person.length > 0 && !person.some((word) => word.text === JOINER)) out.add(textOf(person));
  }
  return [...out];
}

/** A place's names in lower case: as written, those it pertains to ("Ukrainian": Ukraine) and its other names ("US": United States). */
function keys(place: string, lexicon: Lexicon): string[] {
  return [place, ...lexicon.pertainsTo(place), ...lexicon.aliases(place).map((alias) => alias.text)].map((key) => key.toLowerCase());
}
