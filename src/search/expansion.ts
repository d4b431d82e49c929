// The question in the library's words as well as its own: the other names of the names it writes
// (WordNet's, and the acronyms the library defines) and, for its ordinary words, their other forms
// and synonyms. They feed the lexical query at a lower weight than the question's own words, and
// let a passage that says "UN" count as mentioning the "United Nations" the question names.
import { Lexicon, type ExpansionKind } from '../lexicon/expand.js';
import { SEARCH_DEFAULTS } from './defaults.js';
import { definedAliases } from './defined-acronyms.js';
import { officeHolders, officesOf } from './offices.js';
import type { SearchableIndex } from './search.js';
import { contentTerms, writtenNames } from './terms.js';

/**
 * WordNet's kinds, 'defined': an acronym or long form the library itself defines, and 'office': a
 * person the library names by an office the question writes, or the office of a person it names
 * (see offices.ts).
 */
export type Expander = ExpansionKind | 'defined' | 'office';

export interface Expanded {
  /**
   * For a question term (its `contentTerms` form), the term lists that stand for it in a passage:
   * a passage holding every term of one list holds the question's term ("un" for "united").
   */
  alternatives: Map<string, string[][]>;
  /** Question terms whose alternatives are only other forms of the word ("visit" for "visitor"): weaker evidence than another name. */
  forms: Set<string>;
  /** For each name the question writes, its aliases' term lists (see `specificNames`). */
  aliases: Map<string, string[][]>;
  /** The expansions as one lexical query, words of the question left out; '' when there are none. */
  lexicalQuery: string;
  /**
   * Words of the question that are no English word to WordNet ("openpyxl", "ParallelBroker"), as
   * written, with their terms: if the library never mentions one either, it names what the
   * question is about (see `specificNames`).
   */
  strangers: Array<{ text: string; term: string }>;
  /**
   * Question terms whose word running English mostly uses as a verb, adjective or adverb (see
   * `Lexicon.mostlyAs`): "say", "pledged", "get rid of", "won … back". A library that never uses
   * one was asked in other words, not about something else, so it is no unknown subject (see
   * `unknownSubjects`); nouns name what a question is about ("drones", "salary", "weather").
   */
  phrasing: Set<string>;
}

export const NO_EXPANSION: Expanded = { alternatives: new Map(), forms: new Set(), aliases: new Map(), lexicalQuery: '', strangers: [], phrasing: new Set() };

/** English words WordNet leaves out (it lists nouns, verbs, adjectives and adverbs only): never names. */
const FUNCTION_WORDS = new Set(
  ('whether although though because unless until while whilst whereas whereby wherever whenever whatever whichever ' +
    'whoever whomever without within upon onto into toward towards among amongst despite during except throughout ' +
    'versus unto myself yourself himself herself itself ourselves yourselves themselves mine yours hers ours theirs ' +
    'something anything everything someone anyone everyone anybody everybody whose what which these those this ' +
    'that their there they them your shall should would could might must cannot their neither either nor ' +
    'since against').split(' '),
);

let shared: Lexicon | null | undefined;

/** WordNet, read once per process on first use; null (and no expansion) when its files cannot be read. */
export function sharedLexicon(): Lexicon | null {
  if (shared === undefined) {
    try {
      shared = Lexicon.open();
    } catch {
      shared = null;
    }
  }
  return shared;
}

export function expandQuestion(index: SearchableIndex, question: string, terms: string[], lexicon: Lexicon | null, expanders: readonly Expander[]): Expanded {
  if (expanders.length === 0) return NO_EXPANSION;
  const use = new Set(expanders);
  const alternatives = new Map<string, string[][]>();
  const forms = new Set<string>();
  const aliases = new Map<string, string[][]>();
  const words = new Set<string>();
  const own = new Set(terms);
  const addAlternative = (term: string, list: string[]) => {
    if (list.length === 0 || (list.length === 1 && list[0] === term)) return;
    const known = alternatives.get(term) ?? [];
    if (!known.some((other) => other.join(' ') === list.join(' '))) known.push(list);
    alternatives.set(term, known);
  };

  const names = writtenNames(question);
  const nameTerms = new Set(names.flatMap((name) => name.terms));
  for (const name of names) {
    const texts = [
      ...(lexicon ? lexicon.aliases(name.text).filter((alias) => use.has(alias.kind)).map((alias) => alias.text) : []),
      ...(use.has('defined') ? definedAliases(index, name.text) : []),
      ...(use.has('office') && lexicon ? officesOf(index, name.text, lexicon) : []),
    ];
    const lists = texts.map((text) => contentTerms(text)).filter((list) => list.length > 0);
    if (lists.length === 0) continue;
    aliases.set(name.text, lists);
    for (const term of name.terms) for (const list of lists) addAlternative(term, list);
    for (const list of lists) for (const term of list) words.add(term);
  }
  // A passage naming the person holds the office: "Lavrov said…" for "Russia's foreign minister".
  if (use.has('office') && lexicon) {
    for (const holder of officeHolders(index, question, lexicon)) {
      const personTerms = contentTerms(holder.person);
      // Each word of the name that is no English word stands for the person alone ("Lavrov", not "Mark").
      const own = holder.person.split(/\s+/).filter((word) => !lexicon.isWord(word)).flatMap((word) => contentTerms(word));
      const lists = own.length > 0 ? own.map((term) => [term]) : [personTerms];
      for (const term of holder.terms) for (const list of lists) addAlternative(term, list);
      aliases.set(holder.name, [...(aliases.get(holder.name) ?? []), ...lists]);
      for (const term of personTerms) words.add(term);
    }
  }

  const strangers: Expanded['strangers'] = [];
  const phrasing = new Set<string>();
  if (lexicon) {
    for (const [word] of question.matchAll(/[\p{L}][\p{L}'’-]*/gu)) {
      const [term] = contentTerms(word);
      const mostly = term === undefined ? null : lexicon.mostlyAs(word);
      if (mostly !== null && mostly !== 'n') phrasing.add(term!);
      if (term !== undefined && word.length >= SEARCH_DEFAULTS.minStrangerLength && !FUNCTION_WORDS.has(word.toLowerCase()) && !lexicon.isWord(word) && !strangers.some((known) => known.term === term)) {
        strangers.push({ text: word, term });
      }
      if (term === undefined || nameTerms.has(term)) continue;
      for (const related of lexicon.related(word)) {
        if (!use.has(related.kind)) continue;
        const list = contentTerms(related.text);
        // Other forms stand for the word in a passage; synonyms only widen the lexical query.
        if (related.kind === 'form') {
          addAlternative(term, list);
          if (alternatives.has(term)) forms.add(term);
        }
        else for (const t of list) words.add(t);
      }
    }
  }
  const extra = [...words].filter((word) => !own.has(word));
  return { alternatives, forms, aliases, lexicalQuery: extra.join(' '), strangers, phrasing };
}

/** Whether a passage's terms hold a question term, or one of the term lists standing for it. */
export function holds(present: Set<string>, term: string, expanded: Expanded): boolean {
  if (present.has(term)) return true;
  return (expanded.alternatives.get(term) ?? []).some((list) => list.every((t) => present.has(t)));
}
