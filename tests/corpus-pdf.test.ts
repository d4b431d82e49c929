// PDFs nobody here wrote: libtasn1.pdf (pdfTeX, Debian's libtasn1-doc), shared-mime-info-spec.pdf
// (DocBook via LaTeX, Debian's shared-mime-info), and find.pdf / ls.pdf (`groff -man -Tpdf` of
// Debian's man pages). Each page is checked against poppler's pdftotext, an independent extractor.
// scanned.pdf is ls.pdf rendered to images (`gs -sDEVICE=pdfimage8`), encrypted.pdf is ls.pdf
// through `qpdf --encrypt` with a user password, truncated.pdf the first 40,000 bytes of find.pdf,
// partly-scanned.pdf ls.pdf's first two pages and scanned.pdf's first (`qpdf --empty --pages`).
// travel-policy.pdf is LibreOffice Writer's PDF export of tests/fixtures/docx/travel-policy.docx.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/load.js';
import { extractPdf } from '../src/corpus/pdf-extract.js';
import { layoutPdf, type PdfLayout } from '../src/corpus/pdf-layout.js';
import type { Document, LoadIssue } from '../src/types.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures/pdf');

function pdftotext(file: string, page: number): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), path.join(FIXTURES, file), '-'], { encoding: 'utf8' });
}

/** Words as letters and digits only: the extractors differ in spacing around punctuation ("License ." and "License."). */
function words(text: string): string[] {
  // pdftotext joins some words hyphenated at a line end and not others; we join them all.
  return text
    .replace(/(\p{L})-\n(\p{L})/gu, '$1$2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** What one bag of words has that the other lacks, both ways. */
function difference(a: string[], b: string[]): { onlyA: string[]; onlyB: string[] } {
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const w of b) {
    const n = counts.get(w) ?? 0;
    if (n > 0) counts.set(w, n - 1);
    else onlyB.push(w);
  }
  const onlyA = [...counts].flatMap(([w, n]) => Array<string>(n).fill(w));
  return { onlyA, onlyB };
}

function without(bag: string[], remove: string[]): string[] {
  return difference(bag, remove).onlyA;
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe.each([
  // The figures are measured: where pdftotext differs in more than spacing, it is reading order
  // (texinfo's right-aligned "[Function]", an option table read row by row), a glyph it drops
  // (TeX's "c©"), an accent set apart, or a hyphen it drops ("POSIXcompliant").
  { file: 'libtasn1.pdf', pages: 36, sameText: 15, sameWords: 36 },
  { file: 'shared-mime-info-spec.pdf', pages: 17, sameText: 10, sameWords: 15 },
  { file: 'find.pdf', pages: 25, sameText: 22, sameWords: 24 },
])('$file against pdftotext, page by page', ({ file, pages, sameText, sameWords }) => {
  let layout: PdfLayout;
  beforeAll(async () => {
    layout = layoutPdf(await extractPdf(new Uint8Array(readFileSync(path.join(FIXTURES, file)))));
  });

  it('puts every word of each page, and nothing else, on that page, but for the running header, footer and page number', () => {
    expect(layout.pages.map((p) => p.number)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    let same = 0;
    for (const page of layout.pages) {
      const ours = words(layout.parsed.text.slice(page.start, page.end));
      const theirs = without(words(pdftotext(file, page.number)), words((layout.dropped.get(page.number) ?? []).join('\n')));
      const { onlyA, onlyB } = difference(ours, theirs);
      // At most a glyph or an accent apart ("c©" for "c", "lÃ a" for "lÃa").
      expect(onlyA.length + onlyB.length, `page ${page.number}: ours only ${JSON.stringify(onlyA)}, pdftotext only ${JSON.stringify(onlyB)}`).toBeLessThanOrEqual(3);
      if (onlyA.length + onlyB.length === 0) same++;
    }
    expect(same).toBeGreaterThanOrEqual(sameWords);
  });

  it('reads most pages in the same order as pdftotext, after whitespace normalisation', () => {
    const same = layout.pages.filter((page) => {
      let theirs = squash(pdftotext(file, page.number).replace(/(\p{L})-\n(\p{L})/gu, '$1$2'));
      for (const line of layout.dropped.get(page.number) ?? []) {
        theirs = squash(theirs.startsWith(line) ? theirs.slice(line.length) : theirs.endsWith(line) ? theirs.slice(0, -line.length) : theirs.replace(line, ''));
      }
      return squash(layout.parsed.text.slice(page.start, page.end)) === theirs;
    }).length;
    expect(same).toBeGreaterThanOrEqual(sameText);
  });

  it('drops running headers, footers and page numbers, and only at the edges of a page', () => {
    const dropped = [...layout.dropped.values()].flat();
    expect(dropped.length).toBeGreaterThan(pages / 2);
    for (const line of dropped) expect(line).toMatch(/^(?:[ivxlc]+|\d+)$|\d$|^[A-Z]+\(1\) .* [A-Z]+\(1\)$|^Shared MIME-info Database$/);
  });

  it('gives every block one page, in page order', () => {
    const { blocks, text } = layout.parsed;
    expect(blocks.every((block) => block.page !== undefined)).toBe(true);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.page).toBeGreaterThanOrEqual(blocks[i - 1]!.page!);
    for (const page of layout.pages) {
      for (const block of blocks.filter((b) => b.page === page.number)) {
        expect(block.start).toBeGreaterThanOrEqual(page.start);
        expect(block.end).toBeLessThanOrEqual(page.end);
      }
    }
    expect(text.length).toBeGreaterThan(0);
  });
});

describe('structure', () => {
  it('heads sections from the outline, numbered as printed', async () => {
    const { parsed } = layoutPdf(await extractPdf(new Uint8Array(readFileSync(path.join(FIXTURES, 'libtasn1.pdf')))));
    const at = (start: string) => parsed.blocks.find((b) => parsed.text.slice(b.start, b.end).startsWith(start))!;
    expect(at('The parser is case sensitive.').headingPath).toEqual(['2 ASN.1 structure handling', '2.1 ASN.1 syntax']);
    expect(at('The parser is case sensitive.').page).toBe(5);
    expect(at('Searches for an element called name').headingPath).toEqual(['4 Function reference', '4.5 Auxilliary functions']);
    // Running headers that change with the chapter are dropped too ("Chapter 2: ASN.1 structure handling 3").
    expect(parsed.text).not.toContain('Chapter 2: ASN.1 structure handling');
  });

  it('joins words hyphenated at a line end, but not a compound of a capitalised word', async () => {
    const { parsed } = layoutPdf(await extractPdf(new Uint8Array(readFileSync(path.join(FIXTURES, 'find.pdf')))));
    // Page 1 breaks "prece-" / "dence" and page 24 "-regex-" / "type" (the -regextype option).
    expect(parsed.text).toContain('according to the rules of precedence (see section');
    expect(parsed.text).toContain('-regextype 4.2.24');
    // Page 20 breaks "POSIX-" / "compliant": pdftotext joins it into "POSIXcompliant".
    expect(pdftotext('find.pdf', 20)).toContain('POSIXcompliant');
    expect(parsed.text).toContain('you should use the POSIX-compliant option -depth instead.');
  });

  it('without an outline, heads sections by font size and takes the title from the largest text', async () => {
    const { parsed } = layoutPdf(await extractPdf(new Uint8Array(readFileSync(path.join(FIXTURES, 'shared-mime-info-spec.pdf')))));
    expect(parsed.title).toBe('Shared MIME-info Database');
    const glob = parsed.blocks.find((b) => parsed.text.slice(b.start, b.end).startsWith('The default weight value'))
      ?? parsed.blocks.find((b) => parsed.text.slice(b.start, b.end).includes('The default weight value is 50'))!;
    expect(glob.headingPath.at(-1)).toBe('2.2. The source XML files');
  });

  it('reads a word processor PDF: its outline under the title, symbol-font bullets as list items', async () => {
    const { parsed } = layoutPdf(await extractPdf(new Uint8Array(readFileSync(path.join(FIXTURES, 'travel-policy.pdf')))));
    expect(parsed.title).toBe('Travel and Expenses Policy');
    const at = (start: string) => parsed.blocks.find((b) => parsed.text.slice(b.start, b.end).includes(start))!;
    expect(at('This policy applies').headingPath).toEqual([]);
    expect(at('Book flights').headingPath).toEqual(['Booking travel']);
    expect(at('If a receipt is lost').headingPath).toEqual(['Claiming expenses', 'Lost receipts']);
    // Writer draws the bullets as U+F0B7 from its symbol font.
    expect(parsed.text.slice(at('the trip is entered').start, at('the trip is entered').end)).toBe('\uf0b7 the trip is entered in the team calendar;');
  });

  it('splits a man page option list into one block per option', async () => {
    const { parsed } = layoutPdf(await extractPdf(new Uint8Array(readFileSync(path.join(FIXTURES, 'ls.pdf')))));
    const texts = parsed.blocks.map((b) => parsed.text.slice(b.start, b.end));
    expect(texts).toContain('-a, --all do not ignore entries starting with .');
    expect(texts).toContain('-t sort by time, newest first; see --time');
  });
});

describe('loading a folder of PDFs', () => {
  let dir: string;
  let documents: Document[];
  let issues: LoadIssue[];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'archivist-pdf-'));
    cpSync(FIXTURES, dir, { recursive: true });
    ({ documents, issues } = await loadCorpus(dir, { docsSource: { baseUrl: 'https://docs.example.org/' } }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the scanned, encrypted and truncated PDFs by name, and loads the rest', () => {
    expect(issues).toEqual([
      { path: 'encrypted.pdf', level: 'error', message: 'not loaded: encrypted PDF: it needs a password to open' },
      { path: 'partly-scanned.pdf', level: 'warning', message: 'page 3 has no text layer (scanned?) and is not indexed' },
      { path: 'scanned.pdf', level: 'error', message: 'not loaded: no text layer: scanned PDF?' },
      { path: 'truncated.pdf', level: 'error', message: 'not loaded: truncated PDF: the file ends before its end marker' },
    ]);
    expect(documents.map((doc) => doc.path)).toEqual(['find.pdf', 'libtasn1.pdf', 'ls.pdf', 'partly-scanned.pdf', 'shared-mime-info-spec.pdf', 'travel-policy.pdf']);
    const partly = documents.find((doc) => doc.id === 'partly-scanned')!;
    expect(new Set(partly.blocks.map((block) => block.page))).toEqual(new Set([1, 2]));
  });

  it('reads on the worker the same document the layout builds', async () => {
    const doc = documents.find((d) => d.id === 'libtasn1')!;
    const { parsed } = layoutPdf(await extractPdf(new Uint8Array(readFileSync(path.join(FIXTURES, 'libtasn1.pdf')))));
    expect(doc.text).toBe(parsed.text);
    expect(doc.blocks).toEqual(parsed.blocks);
    expect(doc.title).toBe('Libtasn1');
    expect(doc.url).toBe('https://docs.example.org/libtasn1.pdf');
  });
});
