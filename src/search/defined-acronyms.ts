// Acronyms the library itself defines: "the Armed Conflict Location & Event Data Project (ACLED)",
// "the North Atlantic Council (NAC, the principal…)". They are found when a question needs them,
// in the few passages that write the acronym, rather than gathered for the whole library: a
// question naming ACLED looks for "(ACLED" in the passages mentioning "acled", and one naming the
// Armed Conflict Location & Event Data Project looks for the acronyms its initials begin.
import { SEARCH_DEFAULTS } from './defaults.js';
import type { SearchableIndex } from './search.js';
import { contentTerms } from './terms.js';

const ACRONYM = /^\p{Lu}[\p{Lu}&]*\p{Lu}$/u;
const JOINERS = new Set(['of', 'for', 'the', 'and', '&', 'de', 'on', 'in']);

/**
 * The long form written before "(ACRONYM" in `text` (Schwartz & Hearst's algorithm: the acronym's
 * letters are found backwards in the words before it, its first letter starting a word), or null.
 */
export function longFormBefore(text: string, acronym: string): string | null {
  const open = text.search(new RegExp(`\\(\\s*${acronym.replace(/[.*+?^${}()|[\]\\&]/g, '\\$&')}\\b`));
  if (open < 0) return null;
  const letters = acronym.replace(/[^\p{L}\p{N}]/gu, '');
  const words = text.slice(0, open).trimEnd().split(/\s+/);
  const candidate = words.slice(-Math.min(letters.length + 5, letters.length * 2)).join(' ');
  let s = letters.length - 1;
  let l = candidate.length - 1;
  while (s >= 0) {
    const c = letters[s]!.toLowerCase();
    while (l >= 0 && (candidate[l]!.toLowerCase() !== c || (s === 0 && l > 0 && /[\p{L}\p{N}]/u.test(candidate[l - 1]!)))) l--;
    if (l < 0) return null;
    l--;
    s--;
  }
  const start = candidate.lastIndexOf(' ', l) + 1;
  const long = candidate.slice(start).replace(/^[^\p{L}\p{N}]+/u, '');
  return long.split(/\s+/).length > 1 ? long : null;
}

/**
 * The other name the library gives a name the question writes: the long form of an acronym it
 * defines ("ACLED" -> "Armed Conflict Location & Event Data Project"), or the acronym it defines
 * for a long form ("North Atlantic Council" -> "NAC").
 */
export function definedAliases(index: SearchableIndex, name: string): string[] {
  const out = new Set<string>();
  if (ACRONYM.test(name)) {
    for (const long of definitions(index, name)) out.add(long);
    return [...out];
  }
  const initials = name
    .split(/\s+/)
    .filter((word) => word !== '' && !JOINERS.has(word.toLowerCase()))
    .map((word) => word[0]!.toUpperCase());
  if (initials.length < 2) return [];
  const nameTerms = new Set(contentTerms(name));
  // An acronym may leave out the last words of its long form: ACLED, "… Data Project".
  for (let length = initials.length; length >= 2; length--) {
    const acronym = initials.slice(0, length).join('');
    for (const long of definitions(index, acronym)) {
      if (contentTerms(long).every((term) => nameTerms.has(term)) || contentTerms(long).filter((term) => nameTerms.has(term)).length >= length) {
        out.add(acronym);
      }
    }
  }
  return [...out];
}

function definitions(index: SearchableIndex, acronym: string): string[] {
  const [term] = contentTerms(acronym);
  const labels = term === undefined ? null : index.passagesWith(term, SEARCH_DEFAULTS.maxDefiningPassages, true);
  if (!labels) return [];
  const found = new Set<string>();
  for (const label of labels) {
    const text = index.passage(label)?.text;
    const long = text && longFormBefore(text, acronym);
    if (long) found.add(long);
  }
  return [...found];
}
