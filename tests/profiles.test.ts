import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHtml } from '../src/corpus/html.js';
import { loadCorpus } from '../src/corpus/load.js';
import type { Library } from '../src/library.js';
import { isApiSignature } from '../src/passages/signature.js';
import { genericProfile } from '../src/profiles/generic.js';
import { nodejsProfile } from '../src/profiles/nodejs.js';
import { profileFor } from '../src/profiles/registry.js';
import { rustdocProfile } from '../src/profiles/rustdoc.js';
import { sphinxProfile } from '../src/profiles/sphinx.js';
import { codeNameScorer } from '../src/search/identifiers.js';
import { pickQuote, quoteUnits } from '../src/search/quote.js';
import { contentTerms } from '../src/search/terms.js';
import type { Document } from '../src/types.js';
import { pagesLibrary } from './helpers/pages-library.js';

/** A page as each generator writes its head: what the HTML reader recognises it by. */
const HEADS = {
  sphinx: '<meta name="generator" content="Docutils 0.19: https://docutils.sourceforge.io/" /><script src="../_static/documentation_options.js"></script>',
  rustdoc: '<meta name="generator" content="rustdoc">',
  nodejs: '<meta name="nodejs.org:node-version" content="v20.20.2">',
  docbook: '<meta name="generator" content="DocBook XSL Stylesheets Vsnapshot"/>',
  mdbook: '<!-- Book generated using mdBook -->',
  plain: '<meta name="generator" content="Hugo 0.120">',
};
const html = (head: string, body: string) => `<!DOCTYPE html><html><head>${head}<title>Page</title></head><body><main>${body}</main></body></html>`;

describe('the generator of an HTML page', () => {
  it('is recorded as the page says it, and a page of no known generator has none', () => {
    const generators = Object.values(HEADS).map((head) => parseHtml(html(head, '<p>Text.</p>')).generator);
    expect(generators).toEqual(['sphinx', 'rustdoc', 'nodejs', 'docbook', 'mdbook', undefined]);
  });

  it('reaches the document, which gets its profile; a Markdown file gets the generic one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'archivist-profiles-'));
    try {
      await writeFile(path.join(dir, 'vec.html'), html(HEADS.rustdoc, '<p>A contiguous growable array type.</p>'));
      await writeFile(path.join(dir, 'os.html'), html(HEADS.sphinx, '<p>Miscellaneous operating system interfaces.</p>'));
      await writeFile(path.join(dir, 'notes.md'), '# Notes\n\nDeploys go out on Tuesdays.\n');
      const { documents } = await loadCorpus(dir);
      const profiles = Object.fromEntries(documents.map((doc) => [doc.id, [doc.generator, profileFor(doc).name]]));
      expect(profiles).toEqual({ vec: ['rustdoc', 'rustdoc'], os: ['sphinx', 'sphinx'], notes: [undefined, 'generic'] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('chooses the profile; generators without rules of their own, and no document, get the generic one', () => {
    expect(profileFor({ generator: 'sphinx' })).toBe(sphinxProfile);
    expect(profileFor({ generator: 'rustdoc' })).toBe(rustdocProfile);
    expect(profileFor({ generator: 'nodejs' })).toBe(nodejsProfile);
    expect(profileFor({ generator: 'mdbook' })).toBe(genericProfile);
    expect(profileFor({})).toBe(genericProfile);
    expect(profileFor(undefined)).toBe(genericProfile);
  });
});

/** A one-passage document of `texts` as paragraphs, written by `generator`. */
function doc(texts: string[], generator?: Document['generator']): Document {
  const text = texts.join('\n\n');
  let at = 0;
  const blocks = texts.map((t) => {
    const block = { start: at, end: at + t.length, kind: 'text' as const, headingPath: [] };
    at += t.length + 2;
    return block;
  });
  return { id: 'doc', path: 'doc.html', title: 'Doc', text, hash: 'x', blocks, ...(generator ? { generator } : {}) };
}

/** The quote search takes from the whole of `d` for `question`, with the profile of `d`. */
function quoteOf(d: Document, question: string): string {
  const passage = { ref: 'doc:1', docId: 'doc', ordinal: 1, start: 0, end: d.text.length, text: d.text, paragraph: 1, headingPath: [] };
  const span = pickQuote(d.text, quoteUnits(d, passage), contentTerms(question), { codeNames: [], profile: profileFor(d) });
  return d.text.slice(span.start, span.end);
}

describe("one generator's rules on another's document", () => {
  it('a status note of one generator is a sentence in the documents of another', () => {
    const texts = ['Return the time of last access.', 'New in version 3.4.'];
    // Sphinx's version note is never quoted for its own sake, nor pads a short quote…
    expect(quoteOf(doc(texts, 'sphinx'), 'what is new in version 3.4?')).toBe(texts[0]);
    // …but rustdoc and Node.js write no such note: there it is a sentence like any other.
    expect(quoteOf(doc(texts, 'rustdoc'), 'what is new in version 3.4?')).toBe(texts.join('\n\n'));
    const added = ['Added in: v0.1.16', 'Spawns a new process.'];
    expect(quoteOf(doc(added, 'nodejs'), 'what was added in v0.1.16?')).toBe(added[1]);
    expect(quoteOf(doc(added, 'sphinx'), 'what was added in v0.1.16?')).toBe(added.join('\n\n'));
  });

  it("a parameter line is a listing in Node.js docs only: Python's comparisons are prose", () => {
    expect(nodejsProfile.isListing('options <Object>')).toBe(true);
    expect(sphinxProfile.isListing('x < y and y > x')).toBe(false);
    expect(nodejsProfile.isListing('x < y and y > x')).toBe(true);
  });

  it("an entry opens with its own language's words", () => {
    const score = codeNameScorer(['Vec::retain', 'asyncio.Server.wait_closed']);
    const rust = 'pub fn retain<F>(&mut self, f: F)\nRetains only the elements specified by the predicate.';
    const python = 'coroutine wait_closed()\nWait until the close() method completes.';
    expect([score(rust, rustdocProfile), score(rust, sphinxProfile)]).toEqual([0.25, 0]);
    expect([score(python, sphinxProfile), score(python, rustdocProfile)]).toEqual([0.25, 0]);
    expect(isApiSignature('class dict(**kwargs)', sphinxProfile)).toBe(true);
    expect(isApiSignature('class dict(**kwargs)', rustdocProfile)).toBe(false);
  });
});

describe('search quotes by the profile of each document', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      'stat.html': html(HEADS.sphinx, '<h1>stat</h1><p>Return the time of last access of the frobnicator.</p><p>New in version 3.4.</p>'),
      'queue.html': html(HEADS.rustdoc, '<h1>Queue</h1><p>Returns the tail of the frobnicator queue.</p><p>New in version 3.4.</p>'),
    }));
  }, 120_000);
  afterAll(async () => cleanup?.());

  it('drops the version note from the Sphinx page and keeps it as a sentence on the rustdoc page', async () => {
    const answer = await library.ask('what is new in version 3.4 of the frobnicator?', { k: 2 });
    const quotes = Object.fromEntries(answer.results.map((hit) => [hit.citation.path, hit.quote]));
    expect(quotes).toEqual({
      'stat.html': 'Return the time of last access of the frobnicator.',
      'queue.html': 'Returns the tail of the frobnicator queue.\n\nNew in version 3.4.',
    });
  });
});
