// Code names a question quotes ("functools.lru_cache", "default_factory") and how well a passage
// matches them as written. BM25 sees "functools.lru_cache" as three words, so the entry of
// functools.cache, which mentions lru_cache twice, outranked the entry of functools.lru_cache itself.

// A dotted name ("os.path.join", "m.group") or a word with an underscore ("__eq__", "default_factory"),
// not part of a longer dotted name ("', '.join" gives nothing: "join" follows a dot).
const CODE_NAME = /(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|(?<![\w.])[A-Za-z]*_\w+/g;

/** What a passage that writes only the tail of a dotted name ("HTTPPasswordMgr.add_password" for "urllib.request.HTTPPasswordMgr.add_password"), or opens an entry with its last part, earns against the whole name. */
const TAIL_CREDIT = 0.5;

// Abbreviations written with dots ("e.g.", "i.e.", "U.S.") have the shape of a dotted name.
const ABBREVIATION = /^(?:\w\.)*\w$/;

/** The code names a question writes, each once. */
export function codeNames(question: string): string[] {
  return [...new Set(question.match(CODE_NAME) ?? [])].filter((name) => !ABBREVIATION.test(name));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` writes `name` as a whole name: not inside a longer word or dotted name. */
function writes(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w.])${escapeRegExp(name)}(?!\\w)`).test(text);
}

// A line that opens an API entry with a bare name, as a class's methods are listed under it:
// "deserialize(data, /, *, name='main')", "coroutine wait_closed()", "st_fstype".
const ENTRY_KEYWORDS = '(?:(?:classmethod|staticmethod|abstractmethod|coroutine|async|awaitable)\\s+)?';

/** Whether a line of `text` opens an entry for `name`: the name alone, or called. */
function opensEntry(text: string, name: string): boolean {
  return new RegExp(`(?:^|\\n)${ENTRY_KEYWORDS}${escapeRegExp(name)}(?:\\(|\\n|$)`).test(text);
}

/**
 * How well a passage matches the question's code names, from 0 to 1: each name counts 1 when the
 * passage writes it whole, and TAIL_CREDIT when it writes only a dotted tail of at least two parts
 * (API references name a method by its class: "Connection.deserialize", "chain.from_iterable")
 * or opens an entry with its last part (the method listed under its class: "deserialize(data)").
 */
export function codeNameMatch(names: string[], text: string): number {
  if (names.length === 0) return 0;
  let total = 0;
  for (const name of names) {
    if (writes(text, name)) {
      total += 1;
      continue;
    }
    const parts = name.split('.');
    if (parts.length < 2) continue;
    const tails = parts.slice(1, -1).map((_, i) => parts.slice(i + 1).join('.'));
    if (tails.some((tail) => writes(text, tail)) || opensEntry(text, parts[parts.length - 1]!)) total += TAIL_CREDIT;
  }
  return total / names.length;
}
