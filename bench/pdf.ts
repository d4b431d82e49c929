// `npx tsx bench/pdf.ts [FILE.pdf …] [--rounds N]`: pages per second reading text PDFs on the PDF
// reader's worker thread (pdf.js text extraction and layout), as indexing reads them. Defaults to
// the real PDFs in tests/fixtures/pdf.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readPdf } from '../src/corpus/pdf-reader.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const FIXTURES = ['libtasn1.pdf', 'shared-mime-info-spec.pdf', 'find.pdf', 'ls.pdf'].map((f) => path.join(ROOT, 'tests/fixtures/pdf', f));

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '3' } } });
const files = positionals.length > 0 ? positionals : FIXTURES;
const rounds = Number(values.rounds);
const bytes = await Promise.all(files.map((file) => readFile(file)));

// The first read starts the worker and loads pdf.js: measured apart, as a first index pays it once.
const coldStart = performance.now();
await readPdf(bytes[0]!);
console.log(`worker start and first read of ${path.basename(files[0]!)}: ${Math.round(performance.now() - coldStart)} ms`);

console.log('| file | pages | ms per read (best of rounds) | pages/s |');
console.log('|---|---|---|---|');
let totalPages = 0;
let totalMs = 0;
for (const [i, file] of files.entries()) {
  let best = Infinity;
  let pages = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    pages = (await readPdf(bytes[i]!)).pages;
    best = Math.min(best, performance.now() - started);
  }
  totalPages += pages;
  totalMs += best;
  console.log(`| ${path.basename(file)} | ${pages} | ${Math.round(best)} | ${(pages / (best / 1000)).toFixed(1)} |`);
}
console.log(`| all | ${totalPages} | ${Math.round(totalMs)} | ${(totalPages / (totalMs / 1000)).toFixed(1)} |`);
