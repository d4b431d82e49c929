// Word files: travel-policy.docx was saved by LibreOffice Writer 7.4 (Debian's
// libreoffice-writer-nogui, `soffice --convert-to docx` of an HTML page), not written by hand.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/load.js';
import type { Document, LoadIssue } from '../src/types.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/docx/travel-policy.docx');

describe('loading .docx files', () => {
  let dir: string;
  let documents: Document[];
  let issues: LoadIssue[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'archivist-docx-'));
    copyFileSync(FIXTURE, path.join(dir, 'travel-policy.docx'));
    // A file named .docx that is not one: reported, and the real one still loads.
    writeFileSync(path.join(dir, 'broken.docx'), 'This is plain text saved with the wrong extension.\n');
    ({ documents, issues } = await loadCorpus(dir));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const policy = () => documents.find((doc) => doc.id === 'travel-policy')!;
  const blockTexts = (doc: Document) => doc.blocks.map((block) => doc.text.slice(block.start, block.end));

  it('reads the title, headings and paragraphs', () => {
    expect(documents.map((doc) => doc.path)).toEqual(['travel-policy.docx']);
    const doc = policy();
    expect(doc.title).toBe('Travel and Expenses Policy');
    const economy = doc.blocks.find((block) => doc.text.slice(block.start, block.end).startsWith('Book flights'))!;
    expect(economy.headingPath).toEqual(['Booking travel']);
    const lost = doc.blocks.find((block) => doc.text.slice(block.start, block.end).startsWith('If a receipt is lost'))!;
    expect(lost.headingPath).toEqual(['Claiming expenses', 'Lost receipts']);
  });

  it('keeps list items and table rows as text, one block each', () => {
    const texts = blockTexts(policy());
    expect(texts).toContain('your manager has approved the trip in writing;');
    expect(texts).toContain('Submit the expense report within thirty days of returning.');
    expect(texts).toContain('Region | Daily allowance | Hotel limit per night');
    expect(texts).toContain('Europe | 60 EUR | 160 EUR');
  });

  it('reports a file that is not a Word file by name', () => {
    expect(issues).toEqual([{ path: 'broken.docx', level: 'error', message: expect.stringMatching(/^not loaded: not a readable Word file: /) }]);
  });
});
