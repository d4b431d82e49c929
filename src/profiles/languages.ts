// The words API entries open with in the languages the documentation generators describe, for
// FormatProfile's `signaturePrefix` and `entryPrefix`.

/**
 * Python signature lines as Sphinx writes them: a decorator ("@functools.lru_cache(maxsize=128)")
 * or the kind of entry before its name ("class dict(**kwargs)", "coroutine asyncio.sleep(delay)").
 */
export const PYTHON_SIGNATURE_PREFIX = '@|(?:class|exception|coroutine|async|abstractmethod|classmethod|staticmethod|awaitable)\\s+';

/** A Python method listed under its class: "coroutine wait_closed()", "classmethod fromkeys(iterable)". */
export const PYTHON_ENTRY_PREFIX = '(?:classmethod|staticmethod|abstractmethod|coroutine|async|awaitable)\\s+';

/** A Rust method's signature heading: "pub fn retain<F>(&mut self, f: F)", "pub const unsafe fn …". */
export const RUST_ENTRY_PREFIX = 'pub(?:\\([^)]*\\))?\\s+(?:(?:const|async|unsafe|extern\\s+"[^"]*")\\s+)*fn\\s+';
