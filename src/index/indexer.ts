import { issueLines } from '../corpus/issue-lines.js';
import { loadCorpus } from '../corpus/load.js';
import type { Embedder } from '../embed/embedder.js';
import { SPLITTER_VERSION, splitDocument } from '../passages/split.js';
import type { DocsSource } from '../sources/config.js';
import type { LoadIssue } from '../types.js';
import type { HnswParams } from './hnsw-index.js';
import type { LoadedIndex } from './store.js';
import { updateIndex, type IndexResult, type UpdateOptions } from './update.js';

export type { BuildProgress, IndexReport, IndexResult, IndexTimings } from './update.js';

/**
 * Loads the docs folder and brings the index in `indexDir` up to date with it (see update.ts for
 * what is re-embedded and when the index is rebuilt, checkpoints.ts for resuming an interrupted
 * run). The live index stays readable throughout; the new one replaces it atomically at the end.
 * An index built from another docs folder is refused with an Error that says what to do.
 */
export async function buildIndex(opts: {
  docsDir: string;
  indexDir: string;
  embedder: Embedder;
  hnsw: HnswParams;
  /** DOCS_SOURCE / DOCS_BASE_URL (Config.docsSource). */
  docsSource?: DocsSource;
  log?: (line: string) => void;
  /** Damage found and repaired in the index, and files of the docs folder that were skipped or could not be read (default: `log`). */
  warn?: (line: string) => void;
  progress?: boolean;
  onProgress?: UpdateOptions['onProgress'];
}): Promise<IndexResult> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const issues: LoadIssue[] = [];
  let corpusMs = 0;
  // A file whose bytes (and source rule) hash as before is not parsed again: its stored document is reused.
  const load = async (previous: LoadedIndex | null) => {
    const loadStarted = performance.now();
    const loaded = await loadCorpus(opts.docsDir, {
      ...(opts.docsSource ? { docsSource: opts.docsSource } : {}),
      reuse: (id, hash) => {
        const known = previous?.documents.get(id);
        return known?.hash === hash ? known : undefined;
      },
    });
    issues.push(...loaded.issues);
    for (const line of issueLines(loaded.issues)) (opts.warn ?? log)(line);
    corpusMs = Math.round(performance.now() - loadStarted);
    return loaded.documents;
  };
  const result = await updateIndex({ ...opts, documents: load, issues, splitter: { version: SPLITTER_VERSION, split: splitDocument } });
  // The report's time covers loading the corpus too: that is what a user waits for.
  const { report } = result;
  return { ...result, report: { ...report, ms: Math.round(performance.now() - started), timings: { ...report.timings, corpusMs } } };
}
