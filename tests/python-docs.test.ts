// The Python 3.11 documentation as installed by Debian's python3.11-doc: 530 real Sphinx pages
// with navigation, API entries, footnotes and code. CI installs it; elsewhere these tests skip.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'cheerio/slim';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/load.js';
import { splitDocument } from '../src/passages/split.js';
import { sentenceSpans } from '../src/passages/sentences.js';
import { profileFor } from '../src/profiles/registry.js';
import { pickQuote } from '../src/search/quote.js';
import { quoteCitation } from '../src/search/search.js';
import { contentTerms } from '../src/search/terms.js';
import { passageUrl } from '../src/sources/url.js';
import type { Document, LoadIssue, Passage } from '../src/types.js';

const PYTHON_DOCS = '/usr/share/doc/python3.11/html';
const BASE_URL = 'https://docs.python.org/3.11/';
const hasPythonDocs = existsSync(path.join(PYTHON_DOCS, 'library/collections.html'));
if (!hasPythonDocs) console.warn(`Skipping the Python docs tests: ${PYTHON_DOCS} is not installed (apt install python3.11-doc).`);

const slice = (doc: Document, span: { start: number; end: number }) => doc.text.slice(span.start, span.end);

function byId(documents: Document[], id: string): Document {
  const doc = documents.find((d) => d.id === id);
  if (!doc) throw new Error(`no document ${id}`);
  return doc;
}

/** Every .html file of the tree: what a loader without ignore rules would index. */
async function allPages(dir: string, rel = ''): Promise<string[]> {
  const pages: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) pages.push(...(await allPages(dir, child)));
    else if (entry.name.endsWith('.html')) pages.push(child);
  }
  return pages;
}

describe.skipIf(!hasPythonDocs)('Python 3.11 documentation', () => {
  let documents: Document[];
  let issues: LoadIssue[];
  let ms: number;
  beforeAll(async () => {
    const started = performance.now();
    ({ documents, issues } = await loadCorpus(PYTHON_DOCS, { docsSource: { source: 'Python 3.11 documentation', baseUrl: BASE_URL } }));
    ms = performance.now() - started;
    console.info(`Loaded ${documents.length} documents from ${PYTHON_DOCS} in ${Math.round(ms)} ms`);
  });

  describe('loading', () => {
    it('loads every content page and skips the Sphinx build output silently', async () => {
      const generated = /^(?:_[^/]*\/|genindex[^/]*\.html$|py-modindex\.html$|search\.html$)/;
      const pages = await allPages(PYTHON_DOCS);
      expect(pages.length).toBeGreaterThan(500); // 530 in Debian's 3.11.2 package
      const content = pages.filter((p) => !generated.test(p));
      expect(issues.filter((i) => i.level === 'error')).toEqual([]);
      // Warnings only for what a reader might expect to find: two pages that are nothing but a
      // table of contents, and the changelog, which Debian ships gzipped.
      const empty = ['contents.html', 'faq/index.html'];
      expect(issues.filter((i) => i.message === 'skipped: no text to index').map((i) => i.path)).toEqual(empty);
      for (const issue of issues.filter((i) => !empty.includes(i.path))) {
        expect([issue.path, issue.message]).toEqual([expect.stringMatching(/\.gz$/), 'skipped: unsupported file type ".gz"']);
      }
      expect(documents).toHaveLength(content.length - empty.length);
      expect(documents.every((d) => !generated.test(d.path))).toBe(true);
    });

    it('keeps blocks in bounds, without permalink markers, tables of contents or footnote back-links', () => {
      // One expectation per document: per-block expect() calls would take seconds over 70,000 blocks.
      const problems: string[] = [];
      for (const doc of documents) {
        if (doc.text.includes('¶')) problems.push(`${doc.id}: permalink marker`);
        let previousEnd = 0;
        for (const block of doc.blocks) {
          if (block.start < previousEnd || block.end <= block.start) problems.push(`${doc.id}: block ${block.start}-${block.end}`);
          previousEnd = block.end;
        }
        if (previousEnd > doc.text.length) problems.push(`${doc.id}: block past the end`);
      }
      expect(problems).toEqual([]);
      // library/index.html lists every chapter in a toctree; only its introduction is text.
      const library = byId(documents, 'library/index');
      expect(library.text).toContain('Python’s standard library is very extensive');
      expect(library.text).not.toContain('Notes on availability');
      const footnotes = byId(documents, 'c-api/bytes');
      expect(footnotes.text).toContain('[1]\n\nFor integer specifiers (d, u, ld, lu, zd, zu, i, x): the 0-conversion flag');
    });

    it('reads collections.html into titled, anchored blocks with the configured source', () => {
      const doc = byId(documents, 'library/collections');
      expect(doc).toMatchObject({
        title: 'collections — Container datatypes',
        source: 'Python 3.11 documentation',
        url: `${BASE_URL}library/collections.html`,
      });
      const signature = doc.blocks.find((b) => slice(doc, b).startsWith('class collections.defaultdict('))!;
      expect(signature).toMatchObject({ kind: 'text', headingPath: ['defaultdict objects'], anchor: 'collections.defaultdict' });
      const missing = doc.blocks.find((b) => b.anchor === 'collections.defaultdict.__missing__' && slice(doc, b).startsWith('If the default_factory'));
      expect(missing?.headingPath).toEqual(['defaultdict objects']);
      const example = doc.blocks.find((b) => b.kind === 'code' && slice(doc, b).includes('d = defaultdict(list)'));
      expect(example?.anchor).toBe('defaultdict-examples');
      expect(example?.headingPath).toEqual(['defaultdict objects', 'defaultdict Examples']);
    });

    it('reads os.html definition entries', () => {
      const doc = byId(documents, 'library/os');
      const getcwd = doc.blocks.filter((b) => b.anchor === 'os.getcwd').map((b) => slice(doc, b));
      expect(getcwd[0]).toBe('os.getcwd()');
      expect(getcwd[1]).toBe('Return a string representing the current working directory.');
    });
  });

  describe('passages', () => {
    it.each([
      [400, 25_000, 34_000],
      [600, 16_000, 22_000],
      [1000, 10_000, 14_000],
    ])('packs the pages into few passages at maxChars %i, with hardly any fragments', (maxChars, low, high) => {
      let count = 0;
      let fragments = 0;
      for (const doc of documents) {
        for (const passage of splitDocument(doc, { maxChars })) {
          count++;
          if (passage.text.length < 100) fragments++;
        }
      }
      console.info(`maxChars ${maxChars}: ${count} passages, ${fragments} under 100 characters`);
      expect(count).toBeGreaterThan(low);
      expect(count).toBeLessThan(high);
      expect(fragments / count).toBeLessThan(0.02);
    });

    it('keeps a signature with its description and cites it as title › heading path', () => {
      const doc = byId(documents, 'library/collections');
      const passage = splitDocument(doc, { maxChars: 600 }).find((p) => p.text.startsWith('class collections.defaultdict('))!;
      expect(passage.text).toContain('Return a new dictionary-like object.');
      expect([doc.title, ...passage.headingPath].join(' › ')).toBe('collections — Container datatypes › defaultdict objects');
      expect(passageUrl(doc, passage)).toBe('https://docs.python.org/3.11/library/collections.html#collections.defaultdict');
    });
  });

  describe('quotes', () => {
    it('carry on past API signatures to the sentence that says what the thing does', () => {
      const doc = byId(documents, 'library/functools');
      const passage = splitDocument(doc, { maxChars: 400 }).find((p) => p.text.startsWith('@functools.lru_cache(user_function)'))!;
      const span = pickQuote(doc.text, sentenceSpans(doc.text, passage.start, passage.end), contentTerms('what does functools.lru_cache do?'), {
        codeNames: [],
        profile: profileFor(doc),
      });
      const quote = slice(doc, span);
      expect(quote.startsWith('@functools.lru_cache(user_function)')).toBe(true);
      expect(quote).toContain('@functools.lru_cache(maxsize=128, typed=False)');
      expect(quote.endsWith('Decorator to wrap a function with a memoizing callable that saves up to the maxsize most recent calls.')).toBe(true);
    });
  });

  describe('citation links', () => {
    /** Text compared without whitespace and the marks the loader drops or adds (¶ markers, " | " between cells). */
    const squash = (text: string) => text.replace(/[\s¶|]+/g, '');

    it('land on an id in the page whose section holds the quoted text', async () => {
      // Every 12th page, API references and prose alike, and two large API pages: about 2,000 passages.
      const sample = documents.filter((d, i) => i % 12 === 0 || d.id === 'library/collections' || d.id === 'library/os');
      const problems: string[] = [];
      let checked = 0;
      let quotes = 0;
      for (const doc of sample) {
        const $ = load(await readFile(path.join(PYTHON_DOCS, doc.path), 'utf8'));
        const scopes = new Map<string, { own: string; section: string } | null>();
        const scopeOf = (anchor: string) => {
          if (!scopes.has(anchor)) {
            const target = $(`[id="${anchor}"]`).first();
            // A definition's id is on its <dt>: the entry is the <dl> holding the <dt> and its <dd>.
            const own = target.is('dt') ? target.parent() : target.is('section') ? target : target.closest('section');
            const section = target.is('section') ? target : target.closest('section');
            scopes.set(anchor, target.length === 0 ? null : { own: squash(own.text()), section: squash(section.text()) });
          }
          return scopes.get(anchor)!;
        };
        for (const passage of splitDocument(doc, { maxChars: 600 })) {
          if (passage.anchor === undefined) continue;
          checked++;
          const fail = (why: string) => problems.push(`${passage.ref} #${passage.anchor}: ${why}`);
          const url = passageUrl(doc, passage);
          if (url !== `${BASE_URL}${doc.path}#${encodeURIComponent(passage.anchor)}`) fail(`link ${url}`);
          const scope = scopeOf(passage.anchor);
          if (scope === null) {
            fail('no element has this id');
            continue;
          }
          const blocks = blocksOf(doc, passage);
          if (!scope.own.includes(squash(slice(doc, blocks[0]!)))) fail('the first block is not in the linked section or entry');
          for (const block of blocks) {
            if (!scope.section.includes(squash(slice(doc, block)))) fail(`"${slice(doc, block).slice(0, 40)}…" is outside the section`);
            // A quote starting in this block links to the entry or section that holds the block.
            const quoteUrl = quoteCitation(doc, passage, Math.max(block.start, passage.start)).url!;
            const quoteScope = scopeOf(decodeURIComponent(quoteUrl.slice(quoteUrl.indexOf('#') + 1)));
            if (!quoteScope?.own.includes(squash(slice(doc, block)))) fail(`a quote from "${slice(doc, block).slice(0, 40)}…" links to ${quoteUrl}`);
            quotes++;
          }
        }
      }
      expect(checked).toBeGreaterThan(1_500);
      expect(quotes).toBeGreaterThan(checked);
      expect(problems).toEqual([]);
    });
  });
});

function blocksOf(doc: Document, passage: Passage) {
  return doc.blocks.filter((b) => b.start < passage.end && b.end > passage.start);
}
