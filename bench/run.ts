// `npm run bench [-- --quick] [-- --docs DIR] [-- --out FILE]`: runs every section, prints a Markdown
// table and writes the figures to bench/results.json (bench/results-quick.json with --quick).
// `npm run bench -- --only memory` runs the 100k-passage memory test alone and replaces just the
// `memory` entry of the results file.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../src/corpus/load.js';
import { embeddingText } from '../src/index/embedding-text.js';
import type { LexicalEntry } from '../src/index/lexical-index.js';
import { splitDocument } from '../src/passages/split.js';
import type { Document } from '../src/types.js';
import { benchEmbedding } from './embedding.js';
import { benchLexical, type LexicalComparison } from './lexical.js';
import { benchCorpus, benchMemory, type Corpus, type MemoryResult } from './end-to-end.js';
import { log } from './measure.js';
import { memoryTable, renderMarkdown, type Results } from './table.js';
import { benchVectorSearch } from './vector-search.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PYTHON_DOCS = '/usr/share/doc/python3.11/html';
/** Passage size of the bundled encoder: the corpus is counted and split as it would index it. */
const MAX_CHARS = 400;

const SEED_QUESTIONS = [
  'How many North Korean troops are in Russia?',
  'Where are North Korean soldiers deployed?',
  'What did Western intelligence officials say about North Korean personnel in occupied Ukraine?',
  'How did Moscow respond?',
  'Will South Korea send weapons to Ukraine?',
  'What is forced displacement?',
  'How many people have been displaced?',
  'What are North Korean engineers doing in Donetsk?',
  'What casualties have been reported?',
  'Who transferred troops to Kursk Oblast?',
];

const PYTHON_QUESTIONS = [
  'How do I read a file line by line?',
  'What is a list comprehension?',
  'How do I define a function with default arguments?',
  'How do I handle exceptions with try and except?',
  'What does the with statement do?',
  'How do I create a virtual environment?',
  'How do I sort a list of dictionaries by a key?',
  'What is the difference between a tuple and a list?',
  'How do I format a string with f-strings?',
  'How do I define a class and its __init__ method?',
  'What is a generator and the yield statement?',
  'How do decorators work?',
  'How do I import a module from a package?',
  'What is the global interpreter lock?',
  'How do I iterate over a dictionary?',
  'How do I parse command line arguments?',
  'How do I work with dates and times?',
  'How do I run a subprocess and capture its output?',
  'What are keyword-only arguments?',
  'How does garbage collection work in Python?',
  'How do I write unit tests?',
  'How do I use regular expressions to match a pattern?',
  'What is the difference between is and ==?',
  'How do I copy an object deeply?',
  'What does __name__ == "__main__" mean?',
  'How do I read and write JSON?',
  'How do I open a socket connection?',
  'What are type hints?',
  'How do I use lambda functions?',
  'How are floating point numbers represented?',
];

/** Folders of the Python docs taken first when a subset is built: the ones the questions are about. */
const PREFERRED = ['tutorial/', 'faq/', 'howto/', 'glossary', 'reference/', 'library/'];

/**
 * Copies part of the docs into `dest`: pages in preferred-folder order, then path order, until
 * `maxPages` pages or `maxPassages` passages (pages above `maxPagePassages` are skipped).
 */
async function docsSubset(documents: Document[], src: string, dest: string, limits: { maxPages: number; maxPassages: number; maxPagePassages: number }): Promise<Document[]> {
  const rankOf = (doc: Document) => {
    const at = PREFERRED.findIndex((prefix) => doc.path.startsWith(prefix));
    return at < 0 ? PREFERRED.length : at;
  };
  const ordered = [...documents].sort((a, b) => rankOf(a) - rankOf(b) || (a.path < b.path ? -1 : 1));
  const chosen: Document[] = [];
  let passages = 0;
  for (const doc of ordered) {
    if (chosen.length >= limits.maxPages || passages >= limits.maxPassages) break;
    const count = splitDocument(doc, { maxChars: MAX_CHARS }).length;
    if (count > limits.maxPagePassages || passages + count > limits.maxPassages * 1.05) continue;
    chosen.push(doc);
    passages += count;
  }
  await fs.rm(dest, { recursive: true, force: true });
  for (const doc of chosen) {
    await fs.mkdir(path.dirname(path.join(dest, doc.path)), { recursive: true });
    await fs.copyFile(path.join(src, doc.path), path.join(dest, doc.path));
  }
  log(`docs subset: ${chosen.length} pages, ${passages} passages`);
  return chosen;
}

/** Loads some subfolders of `root`, with paths and ids relative to `root`. */
async function loadFolders(root: string, folders: string[]): Promise<Document[]> {
  const out: Document[] = [];
  for (const folder of folders) {
    const { documents } = await loadCorpus(path.join(root, folder));
    out.push(...documents.map((doc) => ({ ...doc, id: `${folder}/${doc.id}`, path: `${folder}/${doc.path}` })));
  }
  return out;
}

/** BM25 entries for the passages of `documents`, labelled from `first` on. */
function lexicalEntries(documents: Document[], first: number): LexicalEntry[] {
  return documents.flatMap((doc) => splitDocument(doc, { maxChars: MAX_CHARS }).map((p) => ({ text: p.text, title: doc.title, headings: p.headingPath.join(' ') }))).map((entry, i) => ({ ...entry, label: first + i }));
}

/** The Python docs subset the end-to-end and memory sections run on, copied into `workDir/docs`. */
async function docsCorpus(docs: string, workDir: string, quick: boolean): Promise<Document[]> {
  log(`loading ${docs} to pick the docs corpus`);
  // --quick reads only the tutorial and FAQ folders (loading all 500 pages takes several seconds).
  const all = quick ? await loadFolders(docs, ['tutorial', 'faq']) : (await loadCorpus(docs)).documents;
  const limits = quick ? { maxPages: 50, maxPassages: 400, maxPagePassages: 60 } : { maxPages: Infinity, maxPassages: 12_000, maxPagePassages: Infinity };
  return docsSubset(all, docs, path.join(workDir, 'docs'), limits);
}

function memoryAtScale(documents: Document[], workDir: string): Promise<MemoryResult> {
  return benchMemory(documents, { passages: 100_000, dims: 512, workDir, questions: PYTHON_QUESTIONS });
}

/** `--only memory`: the memory section alone; its figures replace the `memory` entry of `out`, the rest is kept. */
async function memoryOnly(docs: string, workDir: string, out: string): Promise<void> {
  if (!existsSync(docs)) throw new Error(`--only memory needs the Python docs at ${docs} (apt-get install python3.11-doc, or pass --docs DIR)`);
  const results = JSON.parse(await fs.readFile(out, 'utf8')) as Results;
  const memory = await memoryAtScale(await docsCorpus(docs, workDir, false), workDir);
  await fs.writeFile(out, JSON.stringify({ ...results, memory }, null, 1) + '\n');
  process.stdout.write(`${memoryTable(memory)}\n`);
  log(`memory figures written to ${out}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      docs: { type: 'string', default: PYTHON_DOCS },
      out: { type: 'string' },
      'work-dir': { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.only !== undefined && values.only !== 'memory') throw new Error(`--only takes "memory", not "${values.only}"`);
  const quick = values.quick!;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg();
  const workDir = values['work-dir'] ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-bench-')));
  await fs.mkdir(workDir, { recursive: true });
  const notes: string[] = [];

  try {
    if (values.only === 'memory') {
      await memoryOnly(values.docs!, workDir, values.out ?? path.join(ROOT, 'bench', 'results.json'));
      return;
    }
    // At 100k only the target's set (clustered, 384 dims): a 100k graph takes minutes to build on 2 cores.
    const vectorSearch = await benchVectorSearch({
      sets: quick
        ? [{ n: 10_000, dims: 384, kind: 'clustered' }]
        : [
            ...(['random', 'clustered'] as const).flatMap((kind) => [384, 512].map((dims) => ({ n: 10_000, dims, kind }))),
            { n: 100_000, dims: 384, kind: 'clustered' },
          ],
      runs: quick ? 3 : 5,
      queries: quick ? 150 : 500,
      loadRuns: quick ? 1 : 3,
      vectraMax: 10_000,
      workDir,
    });
    if (!quick) notes.push('At 100k only the target\'s set (clustered, 384 dims) is run: a 100k graph takes 2.5-4.5 minutes to build here, and the bench has to stay under 30 minutes. Uniform random vectors are the worst case for every graph index (all neighbours almost equally far): see the 10k random rows.');
    if (!quick) notes.push('vectra is run at 10k only: at 100k × 384 its index.json would hold ~38M numbers (~0.8 GB of JSON), past the largest string V8 can build.');

    // Corpora: the seeds, and the Python docs (a subset; the whole folder with --docs and no subset would be ~43k passages).
    const corpora: Corpus[] = [];
    const seeds = path.join(workDir, 'seeds');
    await fs.cp(path.join(ROOT, 'seeds'), seeds, { recursive: true });
    corpora.push({ name: 'seeds', dir: seeds, questions: SEED_QUESTIONS, editPage: 'wilson-center-forced-displacement.md' });

    let docsDocuments: Document[] = [];
    if (existsSync(values.docs!)) {
      docsDocuments = await docsCorpus(values.docs!, workDir, quick);
      const edit = docsDocuments.find((doc) => doc.path === 'tutorial/inputoutput.html') ?? docsDocuments[Math.floor(docsDocuments.length / 2)]!;
      corpora.push({ name: quick ? `python docs (${docsDocuments.length}-page subset)` : 'python docs (12k-passage subset)', dir: path.join(workDir, 'docs'), questions: PYTHON_QUESTIONS, editPage: edit.path });
      notes.push(`python docs: ${values.docs}; pages taken in the order ${PREFERRED.join(', ')}, then the rest, until ${quick ? '50 pages / 400 passages (tutorial and FAQ only)' : '12,000 passages'}; the re-index test edits ${edit.path}.`);
    } else {
      notes.push(`no docs folder at ${values.docs} (apt-get install python3.11-doc, or pass --docs DIR): end to end ran on the seeds only.`);
    }

    const texts = docsDocuments.flatMap((doc) => splitDocument(doc, { maxChars: MAX_CHARS }).map((p) => embeddingText(doc, p)));
    const embedding = await benchEmbedding({
      texts: texts.slice(0, quick ? 96 : 1024),
      questions: [...PYTHON_QUESTIONS, ...SEED_QUESTIONS],
      runs: quick ? 2 : 3,
      workDir,
    });

    // The BM25 index against MiniSearch, on the docs passages and (full run) on them repeated to 100k.
    const lexical: LexicalComparison[] = [];
    if (docsDocuments.length > 0) {
      const entries = lexicalEntries(docsDocuments, 0);
      lexical.push(await benchLexical(entries, PYTHON_QUESTIONS, { runs: quick ? 3 : 5, workDir }));
      if (!quick) {
        const big = [];
        for (let copy = 0; big.length < 100_000; copy++) big.push(...lexicalEntries(docsDocuments, big.length).slice(0, 100_000 - big.length));
        lexical.push(await benchLexical(big, PYTHON_QUESTIONS, { runs: 3, workDir }));
      }
    }

    const endToEnd = [];
    for (const corpus of corpora) {
      endToEnd.push(await benchCorpus(corpus, { runs: quick ? 3 : 5, coldRuns: quick ? 1 : 3, reindexRuns: quick ? 1 : 3, workDir }));
    }

    const memory = quick || docsDocuments.length === 0 ? null : await memoryAtScale(docsDocuments, workDir);
    if (quick) notes.push('--quick: 10k vectors, one data set; seeds and a 50-page docs subset; no 100k-passage memory test.');

    const results: Results = {
      startedAt,
      quick,
      machine: { cpus: os.availableParallelism(), node: process.version, loadAverageAtStart, loadAverageAtEnd: os.loadavg() },
      totalSeconds: (performance.now() - started) / 1000,
      vectorSearch,
      embedding,
      lexical,
      endToEnd,
      memory,
      notes,
    };
    const out = values.out ?? path.join(ROOT, 'bench', quick ? 'results-quick.json' : 'results.json');
    await fs.writeFile(out, JSON.stringify(results, null, 1) + '\n');
    process.stdout.write(renderMarkdown(results));
    log(`figures written to ${out}`);
  } finally {
    if (!values['work-dir']) await fs.rm(workDir, { recursive: true, force: true });
  }
}

await main();
