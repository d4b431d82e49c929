// Code names a question quotes ("functools.lru_cache", "default_factory") and how well a passage
// matches them as written. BM25 sees "functools.lru_cache" as three words, so the entry of
// functools.cache, which mentions lru_cache twice, outranked the entry of functools.lru_cache itself.

import { escapeRegExp } from '../escape-regexp.js';

// A dotted name ("os.path.join", "m.group", Rust's and C++'s "Vec::retain") or a word with an
// underscore ("__eq__", "default_factory"), not part of a longer dotted name ("', '.join" gives
// nothing: "join" follows a dot).
const CODE_NAME = /(?<![\w.:])[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)+|(?<![\w.:])[A-Za-z]*_\w+/g;

/** What a passage that writes only the tail of a dotted name ("HTTPPasswordMgr.add_password" for "urllib.request.HTTPPasswordMgr.add_password"), or opens an entry with its last part, earns against the whole name. */
const TAIL_CREDIT = 0.5;

// Abbreviations written with dots ("e.g.", "i.e.", "U.S.") have the shape of a dotted name.
const ABBREVIATION = /^(?:\w\.)*\w$/;

/** A question names a few; a pasted stack trace can name a hundred, each tested on every candidate. */
const MAX_CODE_NAMES = 8;

/** The code names a question writes, each once, the first MAX_CODE_NAMES of them. */
export function codeNames(question: string): string[] {
  return [...new Set(question.match(CODE_NAME) ?? [])].filter((name) => !ABBREVIATION.test(name)).slice(0, MAX_CODE_NAMES);
}

/** `name` written as a whole name: not inside a longer word or dotted name. */
const writing = (name: string) => new RegExp(`(?<![\\w.:])${escapeRegExp(name)}(?!\\w)`);

// A line that opens an API entry with a bare name, as a class's methods are listed under it:
// "deserialize(data, /, *, name='main')", "coroutine wait_closed()", "st_fstype", rustdoc's
// "pub fn retain<F>(&mut self, f: F)".
const ENTRY_KEYWORDS =
  '(?:(?:classmethod|staticmethod|abstractmethod|coroutine|async|awaitable)\\s+|pub(?:\\([^)]*\\))?\\s+(?:(?:const|async|unsafe|extern\\s+"[^"]*")\\s+)*fn\\s+)?';

/** A line that opens an entry for `name`: the name alone, called, or with its type parameters. */
const openingEntry = (name: string) => new RegExp(`(?:^|\\n)${ENTRY_KEYWORDS}${escapeRegExp(name)}(?:[(<]|\\n|$)`);

/**
 * Scores passages on the question's code names, from 0 to 1: each name counts 1 when the passage
 * writes it whole, and TAIL_CREDIT when it writes only a dotted tail of at least two parts (API
 * references name a method by its class: "Connection.deserialize", "chain.from_iterable") or opens
 * an entry with its last part (the method listed under its class: "deserialize(data)"). The
 * patterns are built once per question, not once per passage.
 */
export function codeNameScorer(names: string[]): (text: string) => number {
  const patterns = names.map((name) => {
    // Tails keep the separators as written: "Connection.deserialize", "collections::HashMap".
    const pieces = name.split(/(\.|::)/);
    const parts = pieces.filter((_, i) => i % 2 === 0);
    const tail = (from: number) => pieces.slice(from * 2).join('');
    const partial = parts.length < 2 ? [] : [...parts.slice(1, -1).map((_, i) => writing(tail(i + 1))), openingEntry(parts[parts.length - 1]!)];
    return { whole: writing(name), partial };
  });
  return (text) => {
    if (patterns.length === 0) return 0;
    let total = 0;
    for (const { whole, partial } of patterns) {
      if (whole.test(text)) total += 1;
      else if (partial.some((pattern) => pattern.test(text))) total += TAIL_CREDIT;
    }
    return total / patterns.length;
  };
}
