// Where a found page's answer is lost: of the questions whose right page is in the top k, how many
// are shown a passage holding the answer, and how many a quote showing it; and, for those shown
// the wrong passage, where fusion ranks the answering passage among that page's own passages.
//
//   npx tsx bench/page-funnel.ts tests/fixtures/eval/python-docs-words-dev.jsonl \
//     --docs /usr/share/doc/python3.11/html --index /tmp/py-index [--k 5] [--verbose]
//
// --verbose prints each such question: use it on dev sets only (a test split's misses are not read).
import { loadConfig } from '../src/config.js';
import { quoteShows, readQuestions } from '../src/eval/evaluate.js';
import { openLibrary, searchable } from '../src/library.js';
import { createLogger } from '../src/log.js';
import { rank } from '../src/search/search.js';

/** Candidates ranked when looking for the answering passage within its page. */
const WIDE = 50;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [file] = args;
  const docs = option(args, '--docs');
  const indexDir = option(args, '--index');
  const k = Number(option(args, '--k') ?? 5);
  const verbose = args.includes('--verbose');
  if (!file || !docs || !indexDir || !Number.isInteger(k)) throw new Error('usage: page-funnel FILE --docs DIR --index DIR [--k N] [--verbose]');
  const config = loadConfig({ ...process.env, DOCS_DIR: docs, INDEX_DIR: indexDir });
  const library = await openLibrary({ config, log: createLogger({ level: 'error' }), announceEmbedder: false });
  const index = library.loaded;
  const counts = { answerable: 0, page: 0, passage: 0, quote: 0 };
  const withinPage = new Map<string, number>();
  try {
    for (const question of await readQuestions(file)) {
      const answer = question.answer;
      if (answer === null) continue;
      counts.answerable++;
      const { hits } = await library.retrieve(question.q, k, 'hybrid');
      const onPage = hits.filter((hit) => question.pages?.includes(hit.path) || hit.passage.includes(answer));
      if (onPage.length === 0) continue;
      counts.page++;
      const holding = hits.filter((hit) => hit.passage.includes(answer));
      if (holding.length > 0) counts.passage++;
      if (holding.some((hit) => hit.quote !== undefined && quoteShows(answer, hit.passage, hit.quote))) counts.quote++;
      if (holding.length > 0) continue;
      // Fusion's order of the page's passages, without the diversity that keeps them out of the top k.
      const wide = await rank(searchable(index), library.embedderInUse, question.q, { k: WIDE, sameDocumentDecay: 1 });
      const path = onPage[0]!.path;
      const ofPage = wide.top.map(({ label }) => index.passagesByLabel.get(label)).filter((p) => p !== undefined && index.documents.get(p.docId)?.path === path);
      const at = ofPage.findIndex((p) => p!.text.includes(answer));
      const bucket = at < 0 ? `not in the first ${WIDE}` : at < 3 ? `${at + 1}` : 'below 3';
      withinPage.set(bucket, (withinPage.get(bucket) ?? 0) + 1);
      if (verbose) console.log(`${question.q}\n  page ${path}, answering passage ${bucket === 'below 3' ? `${at + 1}th` : bucket} of the page's\n  shown: ${onPage[0]!.quote ?? '(no quote)'}`);
    }
  } finally {
    await library.close();
  }
  console.log(`${counts.answerable} answerable; right page in the top ${k}: ${counts.page}; a passage holding the answer: ${counts.passage}; a quote showing it: ${counts.quote}`);
  const buckets = [...withinPage].map(([bucket, n]) => `${bucket}: ${n}`).join(', ');
  console.log(`right page, wrong passage (${counts.page - counts.passage}): the answering passage's place among the page's passages by fusion: ${buckets || '—'}`);
}

await main();
