import { unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { Embedder } from './embed/embedder.js';
import { createEmbedder } from './embed/select.js';
import { currentScale, measureScale, type SimilarityScale } from './embed/similarity-scale.js';
import type { Retrieved } from './eval/evaluate.js';
import { buildIndex, type BuildProgress } from './index/indexer.js';
import { IndexLockedError, lockHolder } from './index/lock.js';
import { applyChange, type GenerationChange } from './index/live-patch.js';
import type { GenerationSync, ServedIndex } from './index/pg-sync.js';
import { currentGeneration, openIndex, type LoadedIndex } from './index/store.js';
import type { DocumentSummary, IndexedDocument, LibraryApi, LibraryStatus, ReindexReport, SourceView } from './library-api.js';
import type { Logger } from './log.js';
import { relevanceFor } from './search/calibrate.js';
import { SEARCH_DEFAULTS } from './search/defaults.js';
import { citationFor, decide, declineRule, DEFAULT_RELEVANCE, nearestSections, quoteRanked, rank, search, type Relevance, type SearchableIndex, type SearchMode } from './search/search.js';
import type { Answer, Document } from './types.js';

export interface OpenLibraryOptions {
  config: Config;
  log: Logger;
  /** Bring the index up to date with the docs folder before serving (the `index` command). */
  refresh?: boolean;
  /** Serve the generations other processes write too (see `Library.follow`): the bot and the console. */
  follow?: boolean;
  /**
   * When another process is writing the index (the bot's re-index, an `archivist index`), wait for
   * it to finish instead of failing with IndexLockedError; called once, with its pid, when waiting starts.
   */
  onWaitForWriter?: (pid: number) => void;
  /** Called as a build this opening starts embeds documents (the bot shows it to those waiting). */
  onBuildProgress?: (progress: BuildProgress) => void;
  /** Log the embedder chosen at info (default; the bot, the console, `index`) or, for one-shot commands, at debug. */
  announceEmbedder?: boolean;
}

/** How often a library waiting for another build looks again at the write lock. */
const LOCK_POLL_MS = 1000;

/** How often a following library looks at the index's CURRENT pointer. */
const FOLLOW_INTERVAL_MS = 1000;

/** One typo is allowed in longer words when asking whether the library knows a word (see SEARCH_DEFAULTS.typoMinLength). */
const typos = (term: string) => ({ fuzzy: term.length >= SEARCH_DEFAULTS.typoMinLength ? 1 : false }) as const;

/** The loaded index as search sees it. */
export function searchable(index: LoadedIndex): SearchableIndex {
  return {
    dense: (vector, k) => index.vectorIndex.search(vector, k),
    lexical: (query, k) => index.lexicalIndex.search(query, k),
    passage: (label) => index.passagesByLabel.get(label),
    document: (id) => index.documents.get(id),
    vector: (label) => index.vector(label),
    knows: (term) => index.lexicalIndex.has(term, typos(term)),
    passagesWith: (term, limit, exact) => index.lexicalIndex.passagesWith(term, limit, exact ? {} : typos(term)),
    passageCount: () => index.passagesByLabel.size,
    pages: (query, k) =>
      index.pageIndex.search(query, k).flatMap(({ label, score }) => {
        const docId = index.documentByPage.get(label);
        return docId ? [{ docId, score }] : [];
      }),
  };
}

/**
 * The docs folder an opened index must have been built from. With a database the library is the
 * database's, whatever folder another machine built it from.
 */
function docsFolderCheck(config: Config): { docsDir?: string } {
  return config.databaseUrl ? {} : { docsDir: config.docsDir };
}

/**
 * The similarity scale the index recorded of its embedder, or, for an index written before it was
 * recorded or when questions were embedded another way (see `currentScale`), measured now (about
 * 0.1 s with USE-lite): the index is never written on load.
 */
async function scaleOf(index: LoadedIndex, embedder: Embedder): Promise<SimilarityScale> {
  return currentScale(index.manifest.similarityScale) ?? (await measureScale(embedder));
}

/** One loaded index and its embedder: what the CLI, the console and the bot ask. */
export class Library implements LibraryApi, ServedIndex {
  private view: SearchableIndex;
  private reindexing: Promise<ReindexReport> | null = null;
  /** Bumped by every swap, so a slower load never replaces a newer index. */
  private swaps = 0;
  private following: { file: string; listener: () => void } | null = null;
  private picking: Promise<void> | null = null;
  private pickAgain = false;
  private sync: GenerationSync | null = null;
  /** Bumped by every in-memory patch (`apply`): a question that spanned one is searched again. */
  private patches = 0;

  /** The answer rule's thresholds on the embedder's similarity scale (see search/calibrate.ts). */
  private readonly relevance: Relevance;

  private constructor(
    private index: LoadedIndex,
    private readonly embedder: Embedder,
    private readonly config: Config,
    private readonly log: Logger,
    scale: SimilarityScale,
    /** The docs folder's file problems already logged: each is logged once, not on every re-index. */
    private readonly warned = new Set<string>(),
  ) {
    this.view = searchable(index);
    this.relevance = relevanceFor(scale, DEFAULT_RELEVANCE);
  }

  static async open(options: OpenLibraryOptions): Promise<Library> {
    // With DATABASE_URL, an empty index folder is filled from the database's rows rather than by
    // embedding, the index served is brought up to the database's newest generation in memory,
    // and what is built here is published (src/index/pg-sync.ts).
    const { databaseUrl, indexDir } = options.config;
    const sync = databaseUrl ? await (await import('./index/pg-sync.js')).GenerationSync.start({ url: databaseUrl, indexDir, log: options.log }) : null;
    const library = await Library.loadWhenUnlocked(options, sync).catch(async (error: unknown) => {
      await sync?.close();
      throw error;
    });
    library.sync = sync;
    if (sync) {
      await sync.serve(library);
      void sync.push();
    }
    if (options.follow) library.follow();
    return library;
  }

  /** `load`, waiting out another writer if the options ask to (what that build missed is done after it). */
  private static async loadWhenUnlocked(options: OpenLibraryOptions, sync: GenerationSync | null): Promise<Library> {
    for (let told = false; ; ) {
      try {
        return await Library.load(options, sync);
      } catch (error) {
        if (!(error instanceof IndexLockedError) || !options.onWaitForWriter) throw error;
        if (!told) options.onWaitForWriter(error.pid);
        told = true;
        while ((await lockHolder(options.config.indexDir)) !== null) await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
    }
  }

  private static async load(
    { config, log, refresh = false, onBuildProgress, announceEmbedder = true }: OpenLibraryOptions,
    sync: GenerationSync | null,
  ): Promise<Library> {
    // Loading the model and reading the index overlap; the index is checked against the model after.
    const [embedder, opened] = await Promise.all([
      createEmbedder(config, (line) => log.info(line), announceEmbedder ? undefined : (line) => log.debug(line)),
      refresh ? null : openIndex(config.indexDir, config.hnsw, docsFolderCheck(config)),
    ]);
    try {
      // Never the wrong library: an index of another docs folder is neither served nor replaced.
      if (opened?.ok === false && opened.reason === 'other-docs') throw new Error(opened.message);
      const builtWith = opened?.ok ? opened.index.manifest.embedder : null;
      // A recovered CURRENT is pointed at its generation again by the build, under the write lock.
      if (opened?.ok && !opened.recovered && builtWith?.id === embedder.id && builtWith.dims === embedder.dims) {
        return new Library(opened.index, embedder, config, log, await scaleOf(opened.index, embedder));
      }
      // No index here yet: the database's, built from its rows. A refresh then updates it like any local index.
      const seeded = sync && !opened?.ok ? await sync.seed({ id: embedder.id, dims: embedder.dims }, config.hnsw, { adoptDocsFolder: refresh }) : null;
      if (seeded && !refresh) return new Library(seeded, embedder, config, log, await scaleOf(seeded, embedder));
      // buildIndex says why it (re)builds or repairs: missing, damaged, unreadable, or made with another embedder.
      const warned = new Set<string>();
      const { index } = await Library.build(config, embedder, log, warned, onBuildProgress);
      return new Library(index, embedder, config, log, await scaleOf(index, embedder), warned);
    } catch (error) {
      await embedder.close();
      throw error;
    }
  }

  private static async build(config: Config, embedder: Embedder, log: Logger, warned: Set<string>, onProgress?: (progress: BuildProgress) => void) {
    const { index, report } = await buildIndex({
      docsDir: config.docsDir,
      indexDir: config.indexDir,
      embedder,
      hnsw: config.hnsw,
      docsSource: config.docsSource,
      log: (line) => log.info(line),
      warn: (line) => {
        if (warned.has(line)) return;
        warned.add(line);
        log.warn(line);
      },
      ...(onProgress ? { onProgress } : {}),
    });
    return { index, report };
  }

  /** The index in use; replaced whole by `reindex`, patched in place by `apply`, so callers should not hold on to it. */
  get loaded(): LoadedIndex {
    return this.index;
  }

  get embedderInUse(): Embedder {
    return this.embedder;
  }

  /**
   * Search reads the lexical indexes before the question's embedding is awaited and the graph
   * after: a patch applied in between (`apply`) would mix two generations, so the question is
   * searched again. A patch takes a fraction of a second (0.2–0.5 s for a 113-passage page of the
   * Python docs, most of it graph inserts), and patches come seconds apart.
   */
  ask(question: string, options: { k?: number } = {}): Promise<Answer> {
    return this.unpatched(() => search(this.view, this.embedder, question, { k: options.k ?? this.config.topK }, this.relevance));
  }

  /** Runs a search again until no patch landed while it ran (see `ask`). */
  private async unpatched<T>(run: () => Promise<T>): Promise<T> {
    for (;;) {
      const patches = this.patches;
      const result = await run();
      if (patches === this.patches) return result;
    }
  }

  /** Ranked hits with the answer decision, for the evaluator (hits are kept even when declined). */
  async retrieve(question: string, k: number, mode: SearchMode): Promise<Retrieved> {
    const ranked = await this.unpatched(() => rank(this.view, this.embedder, question, { k, mode }));
    const quotes = new Map(quoteRanked(this.view, ranked, this.relevance).map(({ label, hit }) => [label, hit.quote]));
    const found = ranked.top.flatMap(({ label }) => {
      const passage = this.index.passagesByLabel.get(label);
      const doc = passage && this.index.documents.get(passage.docId);
      return passage && doc ? [{ label, hit: { passage: passage.text, path: doc.path, quote: quotes.get(label) } }] : [];
    });
    const hits = found.map(({ hit }) => hit);
    const why = ranked.top.map((hit) => {
      const signals = `${hit.similarity?.toFixed(3) ?? '-'}/${hit.coverage.toFixed(2)}`;
      return `${declineRule(hit, ranked.signals, this.relevance) ?? 'relevant'} ${signals}`;
    });
    const answered = decide(ranked, this.relevance);
    const nearest = answered ? [] : nearestSections(this.view, ranked, this.relevance).map(({ label }) => found.findIndex((hit) => hit.label === label));
    return { answered, hits, why, nearest };
  }

  source(ref: string): SourceView | null {
    const passage = this.index.passagesByRef.get(ref.trim());
    const doc = passage && this.index.documents.get(passage.docId);
    if (!passage || !doc) return null;
    const siblings = this.index.passagesByDoc.get(doc.id) ?? [];
    const at = siblings.findIndex((p) => p.ref === passage.ref);
    const neighbour = (i: number) => (siblings[i] ? { ref: siblings[i].ref, text: siblings[i].text } : null);
    return {
      ref: passage.ref,
      passage: passage.text,
      previous: neighbour(at - 1),
      next: neighbour(at + 1),
      citation: citationFor(doc, passage),
      document: this.summary(doc),
    };
  }

  private summary(doc: Document): DocumentSummary {
    const passages = this.index.passagesByDoc.get(doc.id) ?? [];
    return {
      id: doc.id,
      title: doc.title,
      source: doc.source ?? null,
      date: doc.date ?? null,
      url: doc.url ?? null,
      path: doc.path,
      passages: passages.length,
      firstRef: passages[0]?.ref ?? `${doc.id}:1`,
    };
  }

  documents(): DocumentSummary[] {
    return [...this.index.documents.values()].map((doc) => this.summary(doc)).sort((a, b) => a.path.localeCompare(b.path));
  }

  suggestRefs(prefix: string, limit: number): Array<{ ref: string; label: string }> {
    const needle = prefix.trim().toLowerCase();
    const out: Array<{ ref: string; label: string }> = [];
    if (this.index.passagesByRef.has(prefix.trim())) {
      const passage = this.index.passagesByRef.get(prefix.trim())!;
      out.push({ ref: passage.ref, label: `${passage.ref} — ${passage.text.slice(0, 60)}` });
    }
    for (const doc of this.documents()) {
      if (out.length >= limit) break;
      const matches = needle === '' || doc.id.toLowerCase().includes(needle) || doc.title.toLowerCase().includes(needle);
      if (matches && !out.some((o) => o.ref === doc.firstRef)) out.push({ ref: doc.firstRef, label: `${doc.title} (${doc.firstRef})` });
    }
    if (out.length < limit && needle.includes(':')) {
      for (const ref of this.index.passagesByRef.keys()) {
        if (out.length >= limit) break;
        if (ref.toLowerCase().startsWith(needle) && !out.some((o) => o.ref === ref)) out.push({ ref, label: ref });
      }
    }
    return out.slice(0, limit);
  }

  indexedDocument(id: string): IndexedDocument | null {
    const document = this.index.documents.get(id);
    if (!document) return null;
    const passages = (this.index.passagesByDoc.get(id) ?? []).map(({ ref, start, end }) => ({ ref, start, end }));
    return { document, passages };
  }

  indexedDocuments(): Array<{ id: string; hash: string }> {
    return [...this.index.documents.values()].map(({ id, hash }) => ({ id, hash }));
  }

  embedTexts(texts: string[]): Promise<Float32Array[]> {
    return this.embedder.embedPassages(texts);
  }

  status(): LibraryStatus {
    const { manifest } = this.index;
    return {
      documents: manifest.counts.documents,
      passages: manifest.counts.passages,
      embedder: manifest.embedder.id,
      dims: manifest.embedder.dims,
      indexedAt: new Date(manifest.createdAt),
    };
  }

  /** One re-index at a time; questions keep using the old index until the new one is swapped in. */
  reindex(): Promise<ReindexReport> {
    this.reindexing ??= (async () => {
      try {
        const { index, report } = await Library.build(this.config, this.embedder, this.log, this.warned);
        this.swap(index);
        void this.sync?.push();
        const { added, changed, removed, unchanged, passagesEmbedded, ms } = report;
        return { added, changed, removed, unchanged, passagesEmbedded, ms };
      } finally {
        this.reindexing = null;
      }
    })();
    return this.reindexing;
  }

  served(): LoadedIndex {
    return this.index;
  }

  /** Another process's generation, applied to the served index in memory (see live-patch.ts). */
  apply(index: LoadedIndex, change: GenerationChange): void {
    if (index !== this.index) return;
    applyChange(index, change);
    this.patches++;
  }

  /** A generation built from the database beside the served index (a change too large to patch). */
  replace(index: LoadedIndex, next: LoadedIndex): void {
    if (index !== this.index || Date.parse(next.manifest.createdAt) <= Date.parse(index.manifest.createdAt)) return;
    this.swap(next);
  }

  private swap(index: LoadedIndex): void {
    this.index = index;
    this.view = searchable(index);
    this.swaps++;
  }

  /**
   * Serves the generations other processes write (an `archivist index` run beside the bot) from
   * the moment CURRENT names them, instead of the one loaded at start until the next re-index here.
   * CURRENT is polled, not watched: it is replaced by a rename, which inotify reports on the folder.
   */
  follow(intervalMs = FOLLOW_INTERVAL_MS): void {
    if (this.following) return;
    this.following = { file: path.join(this.config.indexDir, 'CURRENT'), listener: () => this.currentChanged() };
    watchFile(this.following.file, { interval: intervalMs, persistent: false }, this.following.listener);
  }

  /** One look at a time; a change while a generation is being loaded is looked at once that load is done. */
  private currentChanged(): void {
    if (this.picking) {
      this.pickAgain = true;
      return;
    }
    this.picking = (async () => {
      do {
        this.pickAgain = false;
        await this.pickUpCurrent().catch((error: unknown) => this.log.warn('could not load the index another process wrote', { error }));
      } while (this.pickAgain);
      this.picking = null;
    })();
  }

  private async pickUpCurrent(): Promise<void> {
    // Our own re-index writes CURRENT too: let it finish (it swaps its generation in), then compare.
    await this.reindexing?.catch(() => undefined);
    const live = await currentGeneration(this.config.indexDir).catch(() => null);
    if (live === path.basename(this.index.dir)) return;
    const swapsBefore = this.swaps;
    const opened = await openIndex(this.config.indexDir, this.config.hnsw, {
      embedder: { id: this.embedder.id, dims: this.embedder.dims },
      ...docsFolderCheck(this.config),
    });
    if (!opened.ok) {
      this.log.warn('another process changed the index, and its generation cannot be served; answers keep coming from the one loaded', {
        reason: opened.reason,
        message: opened.message,
      });
      return;
    }
    // A re-index here that started or finished meanwhile has the newer index; so may a generation
    // applied from the database (the folder then lags behind what is served).
    if (opened.index.dir === this.index.dir || this.swaps !== swapsBefore || this.reindexing) return;
    if (Date.parse(opened.index.manifest.createdAt) <= Date.parse(this.index.manifest.createdAt)) return;
    this.swap(opened.index);
    const { documents, passages } = opened.index.manifest.counts;
    this.log.info('loaded the index another process wrote', { generation: path.basename(opened.index.dir), documents, passages });
  }

  async close(): Promise<void> {
    if (this.following) {
      unwatchFile(this.following.file, this.following.listener);
      this.following = null;
      await this.picking;
    }
    await this.reindexing?.catch(() => undefined);
    await this.sync?.close();
    await this.embedder.close();
  }
}

export function openLibrary(options: OpenLibraryOptions): Promise<Library> {
  return Library.open(options);
}
