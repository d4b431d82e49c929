import MiniSearch, { type Options } from 'minisearch';
import { processTerm, tokenize } from './tokenize.js';

/** What BM25 sees of one passage. */
export interface LexicalEntry {
  label: number;
  text: string;
  title: string;
  /** The heading path joined into one string. */
  headings: string;
}

/** Field weights relative to the passage text; starting points, to be tuned by the benchmark. */
export const TITLE_BOOST = 2;
export const HEADINGS_BOOST = 1.5;

/** Prefix and fuzzy matching: off by default because they trade precision for recall. */
export interface LexicalSearchOptions {
  prefix?: boolean;
  fuzzy?: number | false;
}

const OPTIONS: Options<LexicalEntry> = {
  idField: 'label',
  fields: ['text', 'title', 'headings'],
  storeFields: [],
  tokenize,
  processTerm,
  // Vacuuming is left to `compact`, called before saving, rather than run in the background of searches.
  autoVacuum: false,
};

/** BM25 (MiniSearch's BM25+) over passages, keyed by passage label. */
export class LexicalIndex {
  private constructor(private readonly mini: MiniSearch<LexicalEntry>) {}

  static create(): LexicalIndex {
    return new LexicalIndex(new MiniSearch(OPTIONS));
  }

  static loadJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON(json, OPTIONS));
  }

  get size(): number {
    return this.mini.documentCount;
  }

  add(entries: LexicalEntry[]): void {
    this.mini.addAll(entries);
  }

  /** Forgets passages at once; their postings stay behind until `compact` (searches skip them). */
  discard(labels: Iterable<number>): void {
    for (const label of labels) this.mini.discard(label);
  }

  /**
   * Cleans out discarded passages once they are a tenth of the index (MiniSearch's own default).
   * Below that, their leftover postings cost little, while a vacuum of a 12k-passage index costs ~0.2 s.
   */
  async compact(): Promise<void> {
    if (this.mini.dirtFactor >= 0.1) await this.mini.vacuum({ batchSize: 100_000, batchWait: 0 });
  }

  search(query: string, k: number, options: LexicalSearchOptions = {}): Array<{ label: number; score: number }> {
    const results = this.mini.search(query, {
      boost: { title: TITLE_BOOST, headings: HEADINGS_BOOST },
      prefix: options.prefix ?? false,
      fuzzy: options.fuzzy ?? false,
      combineWith: 'OR',
    });
    return results.slice(0, k).map((result) => ({ label: result.id as number, score: result.score }));
  }

  /** The plain object `JSON.stringify` writes; read it back with `LexicalIndex.loadJSON`. */
  toJSON(): object {
    return this.mini.toJSON();
  }
}
