import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/load.js';
import { sentenceSpans } from '../src/passages/sentences.js';
import { splitDocument } from '../src/passages/split.js';
import type { Block, Document, Passage } from '../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '..');

const sentences = (text: string, start?: number, end?: number) =>
  sentenceSpans(text, start, end).map((s) => text.slice(s.start, s.end));

/** A document made of blocks separated by blank lines; `heading` starts a new section. */
function makeDoc(parts: Array<{ text: string; kind?: Block['kind']; heading?: string; anchor?: string }>): Document {
  let text = '';
  let headingPath: string[] = [];
  const blocks: Block[] = [];
  for (const part of parts) {
    if (part.heading !== undefined) {
      text += `${part.heading}\n\n`;
      headingPath = [part.heading];
    }
    const block: Block = { start: text.length, end: text.length + part.text.length, kind: part.kind ?? 'text', headingPath };
    if (part.anchor !== undefined) block.anchor = part.anchor;
    blocks.push(block);
    text += `${part.text}\n\n`;
  }
  return { id: 'doc', path: 'doc.md', title: 'Doc', text: text.trimEnd(), blocks, hash: 'x' };
}

/**
 * The splitter's contract, checked on any document: passages quote the text exactly, cover every
 * block, stay under one heading path with the anchor of their first block, start and end on
 * sentence (or code line) boundaries, and only exceed maxChars when a single sentence or a small
 * enough code block does.
 */
function contractViolations(doc: Document, passages: Passage[], maxChars: number): string[] {
  const problems: string[] = [];
  const fail = (p: Passage, why: string) => problems.push(`${p.ref}: ${why}`);
  const section = (b: Block) => JSON.stringify(b.headingPath);
  const starts = new Set<number>();
  const ends = new Set<number>();
  for (const block of doc.blocks) {
    if (block.kind === 'code') {
      // Code is cut between lines; a piece ends at its last line's last visible character.
      let lineStart = block.start;
      for (const line of doc.text.slice(block.start, block.end).split('\n')) {
        starts.add(lineStart);
        ends.add(lineStart + line.trimEnd().length);
        lineStart += line.length + 1;
      }
    } else {
      for (const s of sentenceSpans(doc.text, block.start, block.end)) {
        starts.add(s.start);
        ends.add(s.end);
        if (s.end - s.start <= 4 * maxChars) continue;
        // The one allowed cut: between words of a run-on sentence over 4 × maxChars.
        for (let i = s.start + 1; i < s.end; i++) {
          const [before, after] = [/\s/.test(doc.text[i - 1]!), /\s/.test(doc.text[i]!)];
          if (before && !after) starts.add(i);
          if (!before && after) ends.add(i);
        }
      }
    }
  }
  let covered = 0;
  passages.forEach((p, i) => {
    if (p.text !== doc.text.slice(p.start, p.end)) fail(p, 'text is not doc.text.slice(start, end)');
    if (p.ref !== `${doc.id}:${i + 1}` || p.ordinal !== i + 1 || p.docId !== doc.id) fail(p, 'ref or ordinal');
    const first = doc.blocks[p.paragraph - 1];
    if (!first || p.start < first.start || p.start >= first.end) return fail(p, `paragraph ${p.paragraph} does not hold the start`);
    if (JSON.stringify(p.headingPath) !== JSON.stringify(first.headingPath) || p.anchor !== first.anchor) fail(p, 'heading path or anchor');
    const inside = doc.blocks.filter((b) => b.start < p.end && b.end > p.start);
    if (inside.some((b) => section(b) !== section(first))) fail(p, 'crosses a section');
    if (!starts.has(p.start) || !ends.has(p.end)) fail(p, `cuts a sentence or a line: ${JSON.stringify(p.text.slice(0, 40))}…`);
    const single = inside.length === 1 && (first.kind === 'code' ? p.end - p.start <= 2 * maxChars || !p.text.includes('\n') : sentenceSpans(doc.text, p.start, p.end).length === 1);
    if (p.end - p.start > maxChars && !single) fail(p, `${p.end - p.start} chars but more than one sentence or line`);
    if (p.start < covered) fail(p, 'overlaps the previous passage');
    covered = p.end;
  });
  const inPassage = new Uint8Array(doc.text.length);
  for (const p of passages) inPassage.fill(1, p.start, p.end);
  for (const block of doc.blocks) {
    for (let i = block.start; i < block.end; i++) {
      if (!inPassage[i] && !/\s/.test(doc.text[i]!)) {
        problems.push(`block at ${block.start}: character ${i} is in no passage`);
        break;
      }
    }
  }
  return problems;
}

describe('sentenceSpans', () => {
  it('does not split after abbreviations, initials or inside decimals', () => {
    expect(
      sentences('The U.S. Senate met Mr. Smith, e.g. The Times said, i.e. nobody. No. 5 beat No. 6 vs. The rest. It cost $1.64 billion and 6.7 million.'),
    ).toEqual([
      'The U.S. Senate met Mr. Smith, e.g. The Times said, i.e. nobody.',
      'No. 5 beat No. 6 vs. The rest.',
      'It cost $1.64 billion and 6.7 million.',
    ]);
    expect(sentences('Institute: N. Korean troops turn up. J. R. R. Tolkien wrote it. Done!')).toEqual([
      'Institute: N. Korean troops turn up.',
      'J. R. R. Tolkien wrote it.',
      'Done!',
    ]);
  });

  it('keeps footnote markers with their sentence', () => {
    expect(sentences('officials in Ukraine.[1] The officials stated.[12]\u00a0AP reported “peace.”[9] A Just Russia held a congress.')).toEqual([
      'officials in Ukraine.[1]',
      'The officials stated.[12]',
      'AP reported “peace.”[9]',
      'A Just Russia held a congress.',
    ]);
  });

  it('does not end a sentence at a period with no space after it', () => {
    // The Debian Reference: 'file is "/var/backups/dpkg.status.*".' was cut after "status.".
    expect(sentences('The backup is "/var/backups/dpkg.status.*". Restore it by hand. See README.md.')).toEqual([
      'The backup is "/var/backups/dpkg.status.*".',
      'Restore it by hand.',
      'See README.md.',
    ]);
  });

  it('treats a single newline as wrapping, a blank line as a break', () => {
    expect(sentences('compliance remains\ninconsistent. This initiative matters')).toEqual([
      'compliance remains\ninconsistent.',
      'This initiative matters',
    ]);
    expect(sentences('A heading without stop\n\nA paragraph.')).toEqual(['A heading without stop', 'A paragraph.']);
  });

  it('returns absolute, trimmed offsets within start and end', () => {
    const text = 'Skip this.   First one.  Second one.\u00a0 Not this.';
    const start = text.indexOf('   First');
    const end = text.indexOf('Not') - 1;
    expect(sentenceSpans(text, start, end)).toEqual([
      { start: text.indexOf('First'), end: text.indexOf('First') + 'First one.'.length },
      { start: text.indexOf('Second'), end: text.indexOf('Second') + 'Second one.'.length },
    ]);
  });
});

describe('splitDocument on synthetic documents', () => {
  const sentence = (n: number, words = 12) => `Sentence ${n} ${'word '.repeat(words - 3)}ends here.`;

  it('splits a paragraph over maxChars evenly between sentences', () => {
    const long = Array.from({ length: 11 }, (_, i) => sentence(i)).join(' ');
    const doc = makeDoc([{ text: long }]);
    const passages = splitDocument(doc, { maxChars: 600 });
    expect(contractViolations(doc, passages, 600)).toEqual([]);
    const pieces = passages.map((p) => p.text.length);
    expect(pieces).toHaveLength(2);
    expect(Math.abs(pieces[0]! - pieces[1]!)).toBeLessThan(80);
    expect(passages.map((p) => p.paragraph)).toEqual([1, 1]);
  });

  it('never cuts a paragraph that fits in maxChars', () => {
    const paragraph = (n: number) => Array.from({ length: 8 }, (_, i) => sentence(n * 10 + i)).join(' ');
    const doc = makeDoc([{ text: paragraph(1) }, { text: paragraph(2) }]);
    expect(paragraph(1).length).toBeGreaterThan(500);
    expect(paragraph(1).length).toBeLessThanOrEqual(600);
    const passages = splitDocument(doc, { maxChars: 600 });
    expect(passages.map((p) => p.text)).toEqual([paragraph(1), paragraph(2)]);
  });

  it('never cuts a sentence up to 4 × maxChars, and cuts a longer one between words', () => {
    const longSentence = `${'lengthy '.repeat(200)}end.`;
    const runOn = 'item '.repeat(600).trim();
    const doc = makeDoc([{ text: longSentence }, { text: runOn }]);
    const passages = splitDocument(doc, { maxChars: 600 });
    expect(passages[0]!.text).toBe(longSentence);
    const pieces = passages.slice(1);
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    for (const p of pieces) {
      expect(p.text.length).toBeLessThanOrEqual(600);
      expect(p.text).toMatch(/^item( item)*$/);
      expect(p.text).toBe(doc.text.slice(p.start, p.end));
    }
    expect(pieces.map((p) => p.text).join(' ')).toBe(runOn);
  });

  it('keeps code whole up to 2 × maxChars, then cuts it between lines', () => {
    const line = (i: number) => `    value_${i} = compute(${i})  # step ${i}`;
    const small = Array.from({ length: 25 }, (_, i) => line(i)).join('\n');
    const large = Array.from({ length: 60 }, (_, i) => line(i)).join('\n');
    expect(small.length).toBeGreaterThan(600);
    expect(small.length).toBeLessThanOrEqual(1200);
    const doc = makeDoc([{ text: small, kind: 'code' }, { text: large, kind: 'code', heading: 'Large' }]);
    const passages = splitDocument(doc, { maxChars: 600 });
    expect(contractViolations(doc, passages, 600)).toEqual([]);
    expect(passages[0]!.text).toBe(small);
    const rest = passages.slice(1);
    expect(rest.length).toBeGreaterThan(2);
    for (const p of rest) {
      expect(p.text.length).toBeLessThanOrEqual(600);
      expect(p.text.startsWith('    value_')).toBe(true);
      expect(doc.text[p.end] ?? '\n').toBe('\n');
    }
  });

  it('packs the blocks of a section into as few passages as fit, never across a heading', () => {
    const doc = makeDoc([
      { text: sentence(1, 60) },
      { text: 'For example:' },
      { text: sentence(2, 30) },
      { text: 'Tail note.' },
      { text: sentence(3, 30), heading: 'Next section' },
    ]);
    const passages = splitDocument(doc, { maxChars: 600 });
    expect(contractViolations(doc, passages, 600)).toEqual([]);
    expect(passages.map((p) => [p.paragraph, p.headingPath])).toEqual([
      [1, []],
      [5, ['Next section']],
    ]);
    expect(passages[0]!.text).toBe(`${sentence(1, 60)}\n\nFor example:\n\n${sentence(2, 30)}\n\nTail note.`);
  });

  it('packs API entries whole, each passage anchored at its first entry', () => {
    // Twelve entries of a signature and a one-sentence description, each with its own anchor.
    const entries = Array.from({ length: 12 }, (_, i) => [
      { text: `method_${i}(x)`, anchor: `mod.Class.method_${i}`, heading: i === 0 ? 'Class objects' : undefined },
      { text: sentence(i, 12 + (i % 3) * 4), anchor: `mod.Class.method_${i}` },
    ]).flat();
    const doc = makeDoc(entries);
    const passages = splitDocument(doc, { maxChars: 300 });
    expect(contractViolations(doc, passages, 300)).toEqual([]);
    expect(passages.length).toBeLessThan(entries.length / 3);
    for (const passage of passages) {
      // Every passage starts at a signature: cuts fall between entries, not inside one.
      expect(passage.text).toMatch(/^method_(\d+)\(x\)/);
      expect(passage.anchor).toBe(`mod.Class.${/^method_\d+/.exec(passage.text)![0]}`);
      expect(passage.text.endsWith('ends here.')).toBe(true);
    }
  });

  it('keeps an API entry of several paragraphs whole when it fits, at the price of one more passage', () => {
    // os.cpu_count() in the Python docs: a signature and two paragraphs. Packed for the fewest
    // passages, its second paragraph ("This number is not…") went to the next passage, quoted
    // without the name it describes.
    const entries = Array.from({ length: 6 }, (_, i) => [
      { text: `func_${i}()`, anchor: `mod.func_${i}`, heading: i === 0 ? 'Functions' : undefined },
      { text: sentence(i, 18), anchor: `mod.func_${i}` },
      { text: sentence(i + 10, 14), anchor: `mod.func_${i}` },
    ]).flat();
    const doc = makeDoc(entries);
    const entryLength = `func_0()\n\n${sentence(0, 18)}\n\n${sentence(10, 14)}`.length;
    const maxChars = Math.floor(entryLength * 1.6);
    const passages = splitDocument(doc, { maxChars });
    expect(contractViolations(doc, passages, maxChars)).toEqual([]);
    expect(passages).toHaveLength(6);
    for (const passage of passages) expect(passage.text).toMatch(/^func_\d+\(\)[^]*ends here\.$/);
  });

  it('keeps an introduction with what it introduces rather than ending a passage with it', () => {
    const doc = makeDoc([
      { text: sentence(1, 40) },
      { text: 'For example:' },
      { text: 'print("hello")\nprint("world")', kind: 'code' },
    ]);
    const passages = splitDocument(doc, { maxChars: 240 });
    expect(contractViolations(doc, passages, 240)).toEqual([]);
    expect(passages.map((p) => p.text)).toEqual([sentence(1, 40), 'For example:\n\nprint("hello")\nprint("world")']);
  });
});

describe('splitDocument on the seeds', () => {
  let documents: Document[];
  beforeAll(async () => {
    ({ documents } = await loadCorpus(path.join(ROOT, 'seeds')));
  });

  it.each([400, 600, 800, 1000])('keeps the contract at maxChars %i', (maxChars) => {
    for (const doc of documents) {
      const passages = splitDocument(doc, { maxChars });
      expect(passages.length).toBeGreaterThan(0);
      expect(contractViolations(doc, passages, maxChars)).toEqual([]);
    }
  });

  it('cites the sections of the 1 November piece', () => {
    const doc = documents.find((d) => d.id.startsWith('north-korean-troops'))!;
    const passages = splitDocument(doc, { maxChars: 600 });
    const moscow = passages.filter((p) => p.headingPath[0] === 'The response from Moscow');
    expect(moscow.length).toBeGreaterThan(0);
    expect(moscow.every((p) => p.anchor === 'the-response-from-moscow')).toBe(true);
    expect(moscow[0]!.text.startsWith('Russia’s Foreign Minister Sergey Lavrov')).toBe(true);
  });
});

const PYTHON_DOCS = '/usr/share/doc/python3.11/html';
const pythonPages = await readdir(path.join(PYTHON_DOCS, 'library')).then(
  (names) => names.filter((n) => n.endsWith('.html')).sort(),
  () => [] as string[],
);
if (pythonPages.length === 0) console.warn(`Skipping the Python docs tests: ${PYTHON_DOCS} is not installed (apt install python3.11-doc).`);

describe.skipIf(pythonPages.length === 0)('splitDocument on 50 Python doc pages', () => {
  let dir: string;
  let documents: Document[];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'archivist-pydocs-'));
    const step = Math.max(1, Math.floor(pythonPages.length / 48));
    const picked = new Set(['collections.html', 'os.html', ...pythonPages.filter((_, i) => i % step === 0)]);
    for (const name of [...picked].slice(0, 50)) await cp(path.join(PYTHON_DOCS, 'library', name), path.join(dir, name));
    ({ documents } = await loadCorpus(dir));
    expect(documents).toHaveLength(50);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([400, 600, 1000])('keeps the contract on every passage at maxChars %i', (maxChars) => {
    const problems = documents.flatMap((doc) => contractViolations(doc, splitDocument(doc, { maxChars }), maxChars));
    expect(problems).toEqual([]);
  });

  it('anchors passages of API entries at the entry', async () => {
    const doc = documents.find((d) => d.id === 'collections')!;
    const passage = splitDocument(doc, { maxChars: 600 }).find((p) => p.text.startsWith('class collections.deque('))!;
    expect(passage.anchor).toBe('collections.deque');
    expect(passage.headingPath).toEqual(['deque objects']);
    expect(passage.text).toContain('Returns a new deque object');
    expect(await readFile(path.join(dir, 'collections.html'), 'utf8')).toContain('id="collections.deque"');
  });
});
