// API signature lines, as documentation writes them above what they describe. The splitter keeps
// them with the next block; quotes carry on past them, or start at them.
import type { FormatProfile } from '../profiles/types.js';

// "sys.argv", "os.cpu_count()", "Vec::new() -> Vec<T>" after the words the profile lets open the
// line ("class dict(**kwargs)", "@functools.lru_cache(maxsize=128, typed=False)"). It names what to
// call, not what it does.
const signature = (prefix: string) => new RegExp(`^(?:${prefix})?[\\p{L}_][\\p{L}\\p{N}_.]*(?:\\(.*\\))?(?:\\s*->\\s*\\S+)?$`, 'u');

/** Built once per profile: the splitter and the quote ask for every line. */
const SIGNATURES = new Map<FormatProfile, RegExp>();

function signatureOf(profile: FormatProfile): RegExp {
  let pattern = SIGNATURES.get(profile);
  if (!pattern) SIGNATURES.set(profile, (pattern = signature(profile.signaturePrefix)));
  return pattern;
}

// A lone word ("Note", "Example") also passes the signature pattern; a name to call has a dot, a call or an underscore.
const CALLABLE_NAME = /[.(_]/;

/** Whether every non-blank line of `text` has a signature's shape (a lone word does too). */
export function signaturesOnly(text: string, profile: FormatProfile): boolean {
  const pattern = signatureOf(profile);
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.length > 0 && lines.every((line) => pattern.test(line));
}

/** Whether `text` is an API entry's signature line(s): signature-shaped, and naming something to call. */
export function isApiSignature(text: string, profile: FormatProfile): boolean {
  return CALLABLE_NAME.test(text) && signaturesOnly(text, profile);
}
