// A handbook kept twice: as pages and as their PDF export. The fixtures are groff's renderings of
// Debian's coreutils man pages (GNU coreutils 9.1): cp.html, mv.html and rm.html from
// `groff -man -Thtml` of each page, coreutils-manual.pdf from `groff -man -Tpdf cp.1 mv.1 rm.1`
// (one PDF of all three), cp-and-ls.pdf from `groff -man -Tpdf cp.1 ls.1` (half of it is ls).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/load.js';
import type { Document, LoadIssue } from '../src/types.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures/editions');
const PAGES = ['cp.html', 'mv.html', 'rm.html'];

describe('a PDF that repeats the folder\'s pages in another format', () => {
  let dir: string;
  let documents: Document[];
  let issues: LoadIssue[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'archivist-editions-'));
    for (const file of [...PAGES, 'coreutils-manual.pdf', 'cp-and-ls.pdf']) copyFileSync(path.join(FIXTURES, file), path.join(dir, file));
    ({ documents, issues } = await loadCorpus(dir));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is left out as an edition, with one warning naming the pages it repeats, and the pages are kept', () => {
    expect(issues).toEqual([
      { path: 'coreutils-manual.pdf', level: 'warning', message: 'skipped: an edition of cp.html, mv.html, rm.html, which are indexed instead' },
    ]);
    expect(documents.map((doc) => doc.path)).toEqual(['cp-and-ls.pdf', ...PAGES]);
  });

  it('keeps a PDF that holds text of its own besides a page of the folder', () => {
    const both = documents.find((doc) => doc.path === 'cp-and-ls.pdf')!;
    expect(both.text).toContain('list directory contents');
    expect(both.text).toContain('copy files and directories');
  });
});

describe('a whole-book PDF beside one of its pages', () => {
  it('keeps both: the book has text of its own, and a page is no edition of the book', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'archivist-editions-'));
    try {
      copyFileSync(path.join(FIXTURES, 'coreutils-manual.pdf'), path.join(dir, 'coreutils-manual.pdf'));
      copyFileSync(path.join(FIXTURES, 'mv.html'), path.join(dir, 'mv.html'));
      const { documents, issues } = await loadCorpus(dir);
      expect(issues).toEqual([]);
      expect(documents.map((doc) => doc.path)).toEqual(['coreutils-manual.pdf', 'mv.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
