// Code names a question quotes ("functools.lru_cache", "default_factory") and how well a passage
// matches them as written. BM25 sees "functools.lru_cache" as three words, so the entry of
// functools.cache, which mentions lru_cache twice, outranked the entry of functools.lru_cache itself.

import { escapeRegExp } from '../escape-regexp.js';
import type { FormatProfile } from '../profiles/types.js';
import { SEARCH_DEFAULTS } from './defaults.js';

// A dotted name ("os.path.join", "m.group", Rust's and C++'s "Vec::retain") or a word with an
// underscore ("__eq__", "default_factory"), not part of a longer dotted name ("', '.join" gives
// nothing: "join" follows a dot).
const CODE_NAME = /(?<![\w.:])[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)+|(?<![\w.:])[A-Za-z]*_\w+/g;

// Abbreviations written with dots ("e.g.", "i.e.", "U.S.") have the shape of a dotted name.
const ABBREVIATION = /^(?:\w\.)*\w$/;

/** The code names a question writes, each once, the first `maxCodeNames` of them (see SEARCH_DEFAULTS). */
export function codeNames(question: string): string[] {
  return [...new Set(question.match(CODE_NAME) ?? [])].filter((name) => !ABBREVIATION.test(name)).slice(0, SEARCH_DEFAULTS.maxCodeNames);
}

/** `name` written as a whole name: not inside a longer word or dotted name. */
const writing = (name: string) => new RegExp(`(?<![\\w.:])${escapeRegExp(name)}(?!\\w)`);

/**
 * A line that opens an entry for `name` as a class lists its methods: the name alone, called, or with
 * its type parameters ("deserialize(data, /, *, name='main')", "st_fstype"), after the words the
 * document's profile lets open such a line ("coroutine wait_closed()", "pub fn retain<F>(…)").
 */
const openingEntry = (name: string, profile: FormatProfile) =>
  new RegExp(`(?:^|\\n)(?:${profile.entryPrefix})?${escapeRegExp(name)}(?:[(<]|\\n|$)`);

/**
 * Scores passages on the question's code names, from 0 to 1: each name counts 1 when the passage
 * writes it whole, and `tailCredit` (see SEARCH_DEFAULTS) when it writes only a dotted tail of at
 * least two parts (API references name a method by its class: "Connection.deserialize",
 * "chain.from_iterable") or opens an entry with its last part (the method listed under its class:
 * "deserialize(data)"), as the profile of the passage's document reads an entry's opening. The
 * patterns are built once per question and profile, not once per passage.
 */
export function codeNameScorer(names: string[]): (text: string, profile: FormatProfile) => number {
  const written = names.map((name) => {
    // Tails keep the separators as written: "Connection.deserialize", "collections::HashMap".
    const pieces = name.split(/(\.|::)/);
    const parts = pieces.filter((_, i) => i % 2 === 0);
    const tail = (from: number) => pieces.slice(from * 2).join('');
    const tails = parts.length < 2 ? [] : parts.slice(1, -1).map((_, i) => writing(tail(i + 1)));
    return { whole: writing(name), tails, last: parts.length < 2 ? undefined : parts[parts.length - 1]! };
  });
  const byProfile = new Map<FormatProfile, Array<{ whole: RegExp; partial: RegExp[] }>>();
  const patternsFor = (profile: FormatProfile) => {
    let patterns = byProfile.get(profile);
    if (!patterns) {
      patterns = written.map(({ whole, tails, last }) => ({ whole, partial: last === undefined ? [] : [...tails, openingEntry(last, profile)] }));
      byProfile.set(profile, patterns);
    }
    return patterns;
  };
  return (text, profile) => {
    if (written.length === 0) return 0;
    let total = 0;
    for (const { whole, partial } of patternsFor(profile)) {
      if (whole.test(text)) total += 1;
      else if (partial.some((pattern) => pattern.test(text))) total += SEARCH_DEFAULTS.tailCredit;
    }
    return total / written.length;
  };
}
