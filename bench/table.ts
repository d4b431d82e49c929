// Renders the results as Markdown tables.
import type { EmbeddingResults } from './embedding.js';
import type { EndToEndResult, MemoryResult } from './end-to-end.js';
import type { LexicalComparison } from './lexical.js';
import type { VectorSearchResults } from './vector-search.js';

export interface Results {
  startedAt: string;
  quick: boolean;
  machine: { cpus: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  totalSeconds: number;
  vectorSearch: VectorSearchResults;
  embedding: EmbeddingResults;
  lexical: LexicalComparison[];
  endToEnd: EndToEndResult[];
  memory: MemoryResult | null;
  notes: string[];
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map((cell) => String(cell)).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const num = (value: number, digits = 2): string => {
  if (!Number.isFinite(value)) return '–';
  const text = value.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
};
const ms = (value: number): string => num(value, value < 10 ? 3 : 0);

export function renderMarkdown(results: Results): string {
  const out: string[] = [];
  const m = results.machine;
  out.push(
    `# archivist benchmarks${results.quick ? ' (quick)' : ''}`,
    '',
    `${results.startedAt}; ${m.cpus} cores, Node ${m.node}; load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join('/')} at start, ` +
      `${m.loadAverageAtEnd.map((l) => l.toFixed(1)).join('/')} at end; ${results.totalSeconds.toFixed(0)} s in all. Times in ms; latencies are the median over runs of each run's p50/p99.`,
  );

  const vs = results.vectorSearch;
  out.push('', '## 1. Vector search (k = 10)', '');
  out.push(
    table(
      ['vectors', 'engine', 'build', 'query p50', 'query p99', 'recall@10', 'resident MB', 'disk MB', 'load', 'vs exact (p50)'],
      vs.results.map((r) => {
        const exact = vs.results.find((e) => e.engine.startsWith('exact') && e.kind === r.kind && e.n === r.n && e.dims === r.dims);
        const speedup = exact ? exact.query.p50 / r.query.p50 : NaN;
        return [`${r.kind} ${r.n / 1000}k × ${r.dims}`, r.engine, ms(r.buildMs), ms(r.query.p50), ms(r.query.p99), num(r.recall, 4), num(r.residentMB, 1), num(r.diskMB, 1), ms(r.loadMs), r.engine.startsWith('exact') ? '1×' : `${num(speedup, speedup < 10 ? 2 : 0)}×`];
      }),
    ),
  );
  const notes = [...new Set(vs.results.filter((r) => r.note).map((r) => `${r.engine}: ${r.note}`))];
  if (notes.length > 0 || vs.skipped.length > 0) out.push('', ...notes.map((n) => `- ${n}`), ...vs.skipped.map((s) => `- skipped: ${s}`));
  if (vs.efSweep.length > 0) {
    out.push('', '### ef sweep (archivist HnswIndex)', '');
    out.push(table(['vectors', 'ef', 'query p50', 'query p99', 'recall@10'], vs.efSweep.map((p) => [`${p.kind} ${p.n / 1000}k × ${p.dims}`, p.ef, ms(p.query.p50), ms(p.query.p99), num(p.recall, 4)])));
  }

  const em = results.embedding;
  out.push('', '## 2. Embedding', '');
  out.push(
    table(
      ['embedder', 'id', 'start', 'passages/s', 'query p50', 'query p99', 'passages timed'],
      em.results.map((r) => [r.embedder, r.id, ms(r.startMs), num(r.passagesPerSecond, 1), ms(r.query.p50), ms(r.query.p99), r.passages]),
    ),
  );
  const emNotes = em.results.filter((r) => r.note).map((r) => `- ${r.embedder}: ${r.note}`);
  if (emNotes.length > 0 || em.skipped.length > 0) out.push('', ...emNotes, ...em.skipped.map((s) => `- skipped: ${s}`));

  if (results.lexical.length > 0) {
    out.push('', '## BM25 index: ours against MiniSearch (what it replaced)', '');
    out.push(
      table(
        ['passages', 'engine', 'build', 'save', 'disk MB', 'load (fresh process)', 'resident MB', 'query p50', 'query p99', 'same top 10', 'max score diff'],
        results.lexical.flatMap((c) =>
          c.results.map((r) => [c.passages, r.engine, ms(r.buildMs), ms(r.saveMs), num(r.diskMB, 1), ms(r.loadMs), num(r.residentMB, 1), ms(r.query.p50), ms(r.query.p99), `${num(c.sameTop10 * 100, 1)}%`, c.maxScoreDifference.toExponential(1)]),
        ),
      ),
    );
  }

  out.push('', '## 3. End to end (bundled encoder)', '');
  out.push(
    table(
      ['corpus', 'docs', 'passages', 'full build', 'ask p50', 'ask p99', 'embed question p50', 'ask − embed (p50)', 'index load', 'cold: open + first answer', 're-index 1 page', '…of which embedding', 'passages re-embedded'],
      results.endToEnd.map((r) => [
        r.corpus,
        r.documents,
        r.passages,
        ms(r.build.ms),
        ms(r.ask.p50),
        ms(r.ask.p99),
        ms(r.breakdown.embedQuestion.p50),
        ms(r.ask.p50 - r.breakdown.embedQuestion.p50),
        ms(r.cold.indexLoadMs),
        ms(r.cold.firstAnswerMs),
        ms(r.reindex.ms),
        ms(r.reindex.embeddingOnlyMs),
        r.reindex.passagesEmbedded,
      ]),
    ),
  );
  out.push('', '### Where the time goes', '');
  out.push(
    table(
      ['corpus', 'dense p50/p99', 'lexical p50/p99', 'rank w/o embedding p50/p99', 'search w/o embedding p50/p99', 'build: embedding', 'build passages/s', 'cold: openLibrary', 'cold: process to first answer', 're-index: corpus load', 'open previous', 'embed', 'patch + write'],
      results.endToEnd.map((r) => {
        const b = r.breakdown;
        const pair = (l: { p50: number; p99: number }) => `${ms(l.p50)} / ${ms(l.p99)}`;
        return [r.corpus, pair(b.dense), pair(b.lexical), pair(b.rankWithoutEmbedding), pair(b.searchWithoutEmbedding), ms(r.build.embedMs), num(r.build.passagesPerSecond, 1), ms(r.cold.openLibraryMs), ms(r.cold.processMs), ms(r.reindex.corpusMs), ms(r.reindex.openMs), ms(r.reindex.embedMs), ms(r.reindex.writeMs)];
      }),
    ),
  );

  const sweeps = results.endToEnd.filter((r) => r.efSweep.length > 0);
  if (sweeps.length > 0) {
    out.push('', '### Dense retriever on real embeddings: recall of the 50 candidates `ask` takes, by ef', '');
    out.push(
      table(
        ['corpus', 'ef', 'queries', 'recall@50', 'query p50', 'query p99'],
        sweeps.flatMap((r) => r.efSweep.map((p) => [r.corpus, p.ef, p.queries, num(p.recall, 4), ms(p.query.p50), ms(p.query.p99)])),
      ),
    );
  }

  if (results.memory) out.push('', '### Memory at scale', '', memoryTable(results.memory));
  if (results.notes.length > 0) out.push('', '## Notes', '', ...results.notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}

export function memoryTable(mem: MemoryResult): string {
  return table(
    ['passages', 'dims', 'vectors MB', 'passage text MB', 'resident MB (index opened)', '…V8 heap', '…array buffers', 'ratio', 'open', 'lexical p50/p99', 'dense p50/p99'],
    [[mem.passages, mem.dims, num(mem.vectorMB, 1), num(mem.passageTextMB, 1), num(mem.residentMB, 1), num(mem.heapMB, 1), num(mem.arrayBuffersMB, 1), num(mem.ratio, 2), ms(mem.openMs), `${ms(mem.lexical.p50)} / ${ms(mem.lexical.p99)}`, `${ms(mem.dense.p50)} / ${ms(mem.dense.p99)}`]],
  );
}
