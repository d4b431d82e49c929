import { describe, expect, it } from 'vitest';
import { sentenceSpans } from '../src/passages/sentences.js';
import { genericProfile } from '../src/profiles/generic.js';
import { profileFor } from '../src/profiles/registry.js';
import { sphinxProfile } from '../src/profiles/sphinx.js';
import type { FormatProfile } from '../src/profiles/types.js';
import { codeNames } from '../src/search/identifiers.js';
import { pickQuote, quoteUnits, sectionEntry } from '../src/search/quote.js';
import { contentTerms } from '../src/search/terms.js';
import type { Document, Generator } from '../src/types.js';

/** The quote pickQuote takes from `text` (one passage of a document read with `profile`) for `question`. */
function quote(text: string, question: string, profile: FormatProfile = genericProfile): string {
  const span = pickQuote(text, sentenceSpans(text), contentTerms(question), { codeNames: codeNames(question), profile });
  return text.slice(span.start, span.end);
}

/** A document of one section, written by `generator`: `texts` as blocks under `heading`. */
function section(heading: string, texts: string[], generator?: Generator): Document {
  const text = texts.join('\n\n');
  let at = 0;
  const blocks = texts.map((t) => {
    const block = { start: at, end: at + t.length, kind: 'text' as const, headingPath: [heading] };
    at += t.length + 2;
    return block;
  });
  return { id: 'doc', path: 'doc.html', title: 'Doc', text, hash: 'x', blocks, ...(generator ? { generator } : {}) };
}

/** The quote taken for `question` from the passage of blocks [from, to) of `doc`, as search takes it. */
function quoteIn(doc: Document, from: number, to: number, question: string): string {
  const start = doc.blocks[from]!.start;
  const end = doc.blocks[to - 1]!.end;
  const passage = { ref: 'doc:1', docId: 'doc', ordinal: 1, start, end, text: doc.text.slice(start, end), paragraph: from + 1, headingPath: doc.blocks[from]!.headingPath };
  const span = pickQuote(doc.text, quoteUnits(doc, passage), contentTerms(question), {
    codeNames: codeNames(question),
    profile: profileFor(doc),
    ...sectionEntry(doc, passage),
  });
  return doc.text.slice(span.start, span.end);
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

  it('quotes the entry of the code name the question writes, not a sentence that shares its words', () => {
    const text = [
      'Panel objects, as returned by new_panel() above, are windows with a stacking order.',
      'Panel.above()',
      'Returns the panel above the current panel.',
    ].join('\n\n');
    expect(quote(text, 'what is curses.panel.Panel.above for?')).toBe('Panel.above()\n\nReturns the panel above the current panel.');
    // Without the code name, the first sentence shares as many words.
    expect(quote(text, 'what is the panel above for?')).toBe(text.slice(0, text.indexOf('\n')));
  });

  it('answers a question about a name and nothing else with the summary of its entry', () => {
    const text = [
      'uncancel()',
      'Decrement the count of cancellation requests to this Task.',
      'Returns the remaining number of cancellation requests.',
      'Note that once execution of a cancelled task completed, further calls to uncancel() are ineffective.',
    ].join('\n\n');
    expect(quote(text, 'how do I use asyncio.Task.uncancel?')).toBe('uncancel()\n\nDecrement the count of cancellation requests to this Task.');
    // A question with more to it than the name is answered by the sentence that shares it, quoted
    // from the entry's signature since the whole is short.
    expect(quote(text, 'when are calls to asyncio.Task.uncancel ineffective?')).toBe(text);
  });

  it('starts a quote from deeper in an entry at its signature, when the whole is short enough', () => {
    const dedent = 'textwrap.dedent(text)\n\nRemove any common leading whitespace from every line in text.';
    const use = 'This can be used to make triple-quoted strings line up with the left edge of the display.';
    const text = [dedent, use].join('\n\n');
    expect(quote(text, 'how do I line up an indented triple-quoted string at the left edge?')).toBe(text);
    // Past 500 characters the sentence is quoted alone.
    const long = [dedent, 'Lines that consist solely of whitespace are normalized. '.repeat(8).trim(), use].join('\n\n');
    expect(quote(long, 'how do I line up an indented triple-quoted string at the left edge?')).toBe(use);
  });

  it('takes the summary below a signature heading (rustdoc), past status notes', () => {
    const blocks = [
      '🔬This is a nightly-only experimental API. (atomic_from_mut #76314)',
      'Gets atomic access to a pointer.',
      'Note: This function is only available on targets where AtomicPtr<T> has the same alignment as *const T',
    ];
    const question = 'how do I use AtomicPtr::from_mut?';
    const method = section('pub fn from_mut(v: &mut *mut T) -> &mut Self', blocks, 'rustdoc');
    expect(quoteIn(method, 0, 3, question)).toBe(blocks.slice(1).join('\n\n'));
    // Under a heading that names no entry, the shared words decide.
    expect(quoteIn(section('Atomics', blocks, 'rustdoc'), 0, 3, question)).toBe(blocks[2]);
  });

  it('finds the summary of a Node.js entry past its version line, history table and parameters, in a later passage', () => {
    const blocks = [
      'Added in: v0.1.16',
      'v18.0.0 | Passing an invalid callback now throws.',
      '...paths <string> A sequence of path segments',
      'Returns: <string>',
      'The path.join() method joins all given path segments together using the platform-specific separator as a delimiter, then normalizes the resulting path.',
      'Zero-length path segments are ignored.',
    ];
    const entry = section('path.join([...paths])', blocks, 'nodejs');
    // The passage holding the summary starts after the section does.
    expect(quoteIn(entry, 3, 6, 'what does path.join do?')).toBe(blocks[4]);
    // A question with more to it is answered by the sentence that shares it (joined, being short).
    expect(quoteIn(entry, 3, 6, 'what does path.join do with zero-length segments?')).toBe(blocks.slice(4).join('\n\n'));
  });

  it('never quotes a status note for its own sake, nor pads a short quote with one', () => {
    const text = 'Kill signal.\n\nIt cannot be caught, blocked, or ignored.\n\nAvailability: Unix.';
    expect(quote(text, 'can SIGKILL be caught or blocked?', sphinxProfile)).toBe('Kill signal.\n\nIt cannot be caught, blocked, or ignored.');
    expect(quote('Return the time of last access.\n\nNew in version 3.4.', 'what is new in version 3.4?', sphinxProfile)).toBe('Return the time of last access.');
  });

  it('takes a lone word above a sentence for a title, not a signature', () => {
    const text = 'Note\n\nThe number of CPUs the current process can use is len(os.sched_getaffinity(0)), which can be fewer than the system has.';
    expect(quote(text, 'how many CPUs can my process use')).toBe(text.slice('Note\n\n'.length));
  });
});

describe('quoteUnits', () => {
  it('quotes a code block whole, where a sentence segmenter would end a "sentence" at vec![ or x?', () => {
    const text = 'Retains only the elements specified by the predicate.\n\nlet mut vec = vec![1, 2, 3, 4];\nvec.retain(|&x| x % 2 == 0);\nassert_eq!(vec, [2, 4]);';
    const code = text.indexOf('let mut');
    const doc = {
      id: 'vec', path: 'vec.html', title: 'Vec', text, hash: 'x',
      blocks: [
        { start: 0, end: code - 2, kind: 'text' as const, headingPath: [] },
        { start: code, end: text.length, kind: 'code' as const, headingPath: [] },
      ],
    };
    const passage = { ref: 'vec:1', docId: 'vec', ordinal: 1, start: 0, end: text.length, text, paragraph: 1, headingPath: [] };
    const units = quoteUnits(doc, passage);
    expect(units.map((u) => text.slice(u.start, u.end))).toEqual(['Retains only the elements specified by the predicate.', text.slice(code)]);
    // Read as sentences, the example would be quoted from "1, 2, 3, 4];" on.
    expect(quote(text.slice(code), 'how does vec.retain work?')).not.toBe(text.slice(code));
    const span = pickQuote(text, units, contentTerms('how does vec.retain work?'), { codeNames: [], profile: genericProfile });
    expect(text.slice(span.start, span.end)).toBe(text.slice(code));
  });
});
