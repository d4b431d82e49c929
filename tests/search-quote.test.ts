import { describe, expect, it } from 'vitest';
import { sentenceSpans } from '../src/passages/sentences.js';
import { pickQuote } from '../src/search/quote.js';
import { contentTerms } from '../src/search/terms.js';

/** The quote pickQuote takes from `text` (one passage) for `question`. */
function quote(text: string, question: string): string {
  const span = pickQuote(text, sentenceSpans(text), contentTerms(question));
  return text.slice(span.start, span.end);
}

describe('pickQuote around API entries', () => {
  // The shape of the Python docs' os page: entries of a signature line and a description.
  const entries = [
    'Dictionary mapping names accepted by confstr() to the integer values defined for those names by the host operating system.',
    'os.cpu_count()',
    'Return the number of CPUs in the system. Returns None if undetermined.',
    'os.getloadavg()',
    'Return the number of processes in the system run queue averaged over the last 1, 5, and 15 minutes.',
  ].join('\n\n');

  it('quotes a description with the signature above it, so the answer names what to call', () => {
    expect(quote(entries, 'how do I get the number of CPUs?')).toBe('os.cpu_count()\n\nReturn the number of CPUs in the system. Returns None if undetermined.');
  });

  it('never ends a short quote with the signature of the next entry', () => {
    const text = 'uuid.uuid4()\n\nGenerate a random UUID.\n\nuuid.uuid5(namespace, name)\n\nGenerate a UUID based on the SHA-1 hash of a namespace identifier and a name.';
    expect(quote(text, 'how do I generate a random UUID')).toBe('uuid.uuid4()\n\nGenerate a random UUID.');
  });

  it('carries a quote that is all signatures on to the description, not back to the paragraph before', () => {
    const text = 'The functools module defines the following functions:\n\n@functools.cache(user_function)\n\nSimple lightweight unbounded function cache.';
    expect(quote(text, 'what does functools.cache do?')).toBe('@functools.cache(user_function)\n\nSimple lightweight unbounded function cache.');
  });

  it('takes a lone word above a sentence for a title, not a signature', () => {
    const text = 'Note\n\nThe number of CPUs the current process can use is len(os.sched_getaffinity(0)), which can be fewer than the system has.';
    expect(quote(text, 'how many CPUs can my process use')).toBe(text.slice('Note\n\n'.length));
  });
});
