// API signature lines, as documentation writes them above what they describe. The splitter keeps
// them with the next block; quotes carry on past them, or start at them.

// "@functools.lru_cache(maxsize=128, typed=False)", "class dict(**kwargs)", "coroutine
// asyncio.sleep(delay)", "sys.argv". It names what to call, not what it does.
const SIGNATURE = /^(?:@|(?:class|exception|coroutine|async|abstractmethod|classmethod|staticmethod|awaitable)\s+)?[\p{L}_][\p{L}\p{N}_.]*(?:\(.*\))?(?:\s*->\s*\S+)?$/u;

// A lone word ("Note", "Example") also passes SIGNATURE; a name to call has a dot, a call or an underscore.
const CALLABLE_NAME = /[.(_]/;

/** Whether every non-blank line of `text` has a signature's shape (a lone word does too). */
export function signaturesOnly(text: string): boolean {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.length > 0 && lines.every((line) => SIGNATURE.test(line));
}

/** Whether `text` is an API entry's signature line(s): signature-shaped, and naming something to call. */
export function isApiSignature(text: string): boolean {
  return CALLABLE_NAME.test(text) && signaturesOnly(text);
}
