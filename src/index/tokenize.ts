// English-ish terms for BM25. Queries and passages go through the same two steps, so any
// normalisation here only has to be consistent, not linguistically perfect.

/** Words that carry nothing in a question. Kept small: negations and quantifiers ("not", "no", "all") stay searchable. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'can', 'could', 'did', 'do', 'does',
  'for', 'from', 'had', 'has', 'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'of', 'on',
  'or', 'our', 'so', 'than', 'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they', 'this',
  'those', 'to', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'who', 'why', 'will',
  'with', 'would', 'you', 'your',
]);

// Thousands separators go so "3,794" and "3794" are one term; decimals and versions ("2.5", "1.10.2") stay whole.
const THOUSANDS = /(\d),(?=\d{3}(?!\d))/g;
const APOSTROPHE = /['’]s\b|['’]/g;
const TOKEN = /\p{N}+(?:\.\p{N}+)+|[\p{L}\p{N}]+/gu;
const NUMBER_UNIT = /^(\p{N}+(?:\.\p{N}+)?)(\p{L}+)$/u;
const LETTERS_NUMBER = /^(\p{L}+)(\p{N}+)$/u;

/** Splits text into raw terms: lower-cased, accents folded, possessives and thousands separators dropped. */
export function tokenize(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return folded.replace(THOUSANDS, '$1').replace(APOSTROPHE, '').match(TOKEN) ?? [];
}

/**
 * Turns a raw term into the indexed term(s): drops stop words, folds plurals, and indexes
 * "155mm" / "m777" both whole and as their parts so "155 mm" and "M777" queries find them.
 */
export function processTerm(term: string): string | string[] | null {
  if (STOP_WORDS.has(term)) return null;
  const split = NUMBER_UNIT.exec(term) ?? LETTERS_NUMBER.exec(term);
  if (split) return [term, split[1]!, split[2]!];
  return /^\p{L}+$/u.test(term) ? stemPlural(term) : term;
}

/** Harman's "S" stemmer: folds regular English plurals without the surprises of a full stemmer. */
export function stemPlural(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && !word.endsWith('eies') && !word.endsWith('aies')) return word.slice(0, -3) + 'y';
  if (word.endsWith('es') && !/[aeo]es$/.test(word)) return word.slice(0, -1);
  if (word.endsWith('s') && !/[us]s$/.test(word)) return word.slice(0, -1);
  return word;
}
