// The names a question gives and the passages that mention them: a hit that leaves out a rare name
// the question asks about is about something else (see README, "Calibrating the no-answer threshold").
import type { MissingName } from '../types.js';
import type { Ranked, SearchableIndex } from './search.js';
import { nameLikeTerms, namedTerms, wordFor } from './terms.js';

/**
 * A name in at most this share of the passages is specific: "Java", "PostgreSQL" or "SIGTERM" in the
 * Python docs (0.01–0.15%), not "DeprecationWarning" (0.3%), "TypeError" (1.1%) or "Python" (20%).
 * Calibrated on the Python docs (see README, "Calibrating the no-answer threshold").
 */
const SPECIFIC_NAME_SHARE = 0.002;

/**
 * The names a question gives ("in Java", "the schemacheck module", "SIGTERM") that the library
 * mentions rarely or never, with the passages that mention them. A passage that does not mention
 * such a name is about something else, however well the rest of the question matches it: "what's
 * the syntax for a lambda in Java" is not answered by the Python docs' lambda passages. Names many
 * passages mention ("Python", "TypeError") are the question's setting, not its subject.
 */
export function specificNames(index: SearchableIndex, question: string): Array<{ name: string; passages: Set<number> }> {
  const limit = Math.max(1, Math.floor(SPECIFIC_NAME_SHARE * index.passageCount()));
  const written = new Set(nameLikeTerms(question));
  // Two-letter acronyms ("MB", "OS", "UI") are units and abbreviations more often than subjects.
  return [...new Set([...written, ...namedTerms(question)])].filter((term) => term.length > 2).flatMap((term) => {
    const passages = index.passagesWith(term, limit);
    // The word before "function" or "module" is a name only if the library never uses it: in "an
    // indented function" it is an adjective. Only names written as names are checked when known.
    if (!passages || (passages.size > 0 && !written.has(term))) return [];
    return [{ name: wordFor(question, term), passages }];
  });
}

/** The names that every ranked hit leaves out: why a question with hits was still declined. */
export function missingEverywhere(top: Ranked['top']): MissingName[] {
  const [first, ...rest] = top;
  if (!first) return [];
  const everywhere = first.missingNames.filter(({ name }) => rest.every((hit) => hit.missingNames.some((missing) => missing.name === name)));
  // One written word can give several terms ("AWS_S3_bucket": "aws", "s3", "bucket"): name it once.
  return everywhere.filter((missing, i) => everywhere.findIndex(({ name }) => name === missing.name) === i);
}
