// The names a question gives and the passages that mention them: a hit that mentions none of the
// rare names the question asks about is about something else (see README, "Calibrating the
// no-answer threshold").
import type { MissingName } from '../types.js';
import type { Ranked, SearchableIndex } from './search.js';
import { SEARCH_DEFAULTS } from './defaults.js';
import { namedTerms, wordFor, writtenNames } from './terms.js';

/**
 * The names a question gives ("in Java", "the schemacheck module", "in Docker Compose") that the
 * library mentions rarely or never, with the passages that mention them (all of a name's rare
 * words). A passage that mentions none of them is about something else, however well the rest of
 * the question matches it: "what's the syntax for a lambda in Java" is not answered by the Python
 * docs' lambda passages. Words many passages use ("Python", "TypeError") are the question's
 * setting, not its subject, and do not count.
 */
export function specificNames(index: SearchableIndex, question: string): Array<{ name: string; passages: Set<number> }> {
  const limit = Math.max(1, Math.floor(SEARCH_DEFAULTS.specificNameShare * index.passageCount()));
  const written = writtenNames(question);
  const seen = new Set(written.flatMap((name) => name.terms));
  // The word before "function" or "module" is a name only if the library never uses it: in "an
  // indented function" it is an adjective.
  const named = namedTerms(question)
    .filter((term) => !seen.has(term))
    .map((term) => ({ text: wordFor(question, term), terms: [term], whenKnown: false }));
  const out: Array<{ name: string; passages: Set<number> }> = [];
  for (const { text, terms, whenKnown } of [...written.map((name) => ({ ...name, whenKnown: true })), ...named]) {
    // Two-letter acronyms ("MB", "OS", "UI") are units and abbreviations more often than subjects.
    const rare = terms.filter((term) => term.length > 2).flatMap((term) => {
      const where = index.passagesWith(term, limit);
      return where && (where.size === 0 || whenKnown) && !derivedFromCommon(index, term, limit) ? [where] : [];
    });
    const [first, ...others] = rare;
    if (first) out.push({ name: text, passages: new Set([...first].filter((label) => others.every((where) => where.has(label)))) });
  }
  return out;
}

/**
 * Whether a rare word is a common word of the library with a short suffix: "Pythonic" in the
 * Python docs, where "python" is in a fifth of the passages. It speaks of the library's own
 * subject, like the root does, and is not a name to require.
 */
function derivedFromCommon(index: SearchableIndex, term: string, limit: number): boolean {
  for (let cut = 1; cut <= SEARCH_DEFAULTS.maxSuffix && term.length - cut >= SEARCH_DEFAULTS.minRoot; cut++) {
    if (index.passagesWith(term.slice(0, -cut), limit, true) === null) return true;
  }
  return false;
}

/** The names that every ranked hit leaves out: why a question with hits was still declined. */
export function missingEverywhere(top: Ranked['top']): MissingName[] {
  const [first, ...rest] = top;
  if (!first) return [];
  const everywhere = first.missingNames.filter(({ name }) => rest.every((hit) => hit.missingNames.some((missing) => missing.name === name)));
  // A name the question writes twice is named once.
  return everywhere.filter((missing, i) => everywhere.findIndex(({ name }) => name === missing.name) === i);
}
