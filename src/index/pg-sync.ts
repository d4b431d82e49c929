// Keeps a process's library and the database's generations in step (see pg-generations.ts):
// a generation written here (a build, /reindex, `archivist index`) is published when it is newer
// than the database's newest; a newer one published elsewhere is applied to the served index in
// memory (live-patch.ts), fetching only the document versions it lacks, when announced, at start
// and after a reconnect. A process with no index folder of its own builds one from the database's
// rows, without embedding (`seed`). The newest manifest createdAt wins everywhere.

import { unwatchFile, watchFile } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../log.js';
import { migrate } from '../records/postgres/migrations.js';
import { describeDatabaseUrl } from '../records/postgres/open.js';
import type { HnswParams } from './hnsw-index.js';
import type { GenerationChange } from './live-patch.js';
import { IndexLockedError, acquireWriteLock } from './lock.js';
import { LIBRARY_CHANNEL, PostgresGenerations, type GenerationDifference, type GenerationStore, type PublishedGeneration } from './pg-generations.js';
import { currentGeneration, writeGeneration, type DocsFolder, type EmbedderIdentity, type LoadedIndex, type Manifest } from './store.js';
import { buildFromVectors } from './update.js';

/** How often the local CURRENT is looked at for a generation to publish (Library.follow looks every second too). */
const LOCAL_POLL_MS = 500;
/** After the LISTEN connection drops, how long before reconnecting (and catching up on what was missed). */
const RECONNECT_MS = 1000;

/**
 * Past this share of the served passages added, a generation is built beside the served index and
 * swapped in rather than patched into it: a patch runs in one synchronous step at about a
 * millisecond per passage (bench/pg-library.ts), a build yields to questions as it goes. A re-split
 * of the whole library would otherwise stop a process for a minute.
 */
const PATCH_MAX_SHARE = 0.25;

/** The index a process serves, as the sync patches or replaces it (the Library). */
export interface ServedIndex {
  served(): LoadedIndex;
  /** Applies `change` to `index`, which is still the served one, in one synchronous step. */
  apply(index: LoadedIndex, change: GenerationChange): void;
  /** Serves `next` instead of `index`, unless `index` is no longer the one served. */
  replace(index: LoadedIndex, next: LoadedIndex): void;
}

export interface GenerationSyncOptions {
  url: string;
  indexDir: string;
  log: Logger;
}

export class GenerationSync {
  private queue: Promise<void> = Promise.resolve();
  private listener: pg.Client | null = null;
  private closed = false;
  private watching: (() => void) | null = null;
  private target: ServedIndex | null = null;
  /** The embedder mismatch already warned of, so it is logged once per generation. */
  private refused: string | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly store: GenerationStore,
    private readonly options: GenerationSyncOptions,
  ) {}

  /** Connects, migrates and listens; the library then seeds, serves and publishes through it. */
  static async start(options: GenerationSyncOptions): Promise<GenerationSync> {
    const pool = new pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: 5000 });
    pool.on('error', (error) => options.log.warn('PostgreSQL connection lost; the next query reconnects', { error: error.message }));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`could not reach the library in PostgreSQL at ${describeDatabaseUrl(options.url)}: ${reason}`, { cause: error });
    }
    const sync = new GenerationSync(pool, new PostgresGenerations(pool), options);
    try {
      await sync.listen();
    } catch (error) {
      await sync.close();
      throw new Error(`could not listen for new generations at ${describeDatabaseUrl(options.url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    sync.watchLocal();
    return sync;
  }

  /**
   * With no index in the folder yet (a new machine), builds one from the database's newest
   * generation: graph and BM25 from the stored vectors and passages, nothing embedded, written as a
   * local generation with the published one's createdAt so the next start opens it. Null when the
   * folder has an index, the database none, or one of another embedder; or while another process
   * here is writing the folder. With `adoptDocsFolder` (the `index` command, about to index its
   * own docs folder) the index does not record the docs folder it came from (see below).
   */
  async seed(embedder: EmbedderIdentity, hnsw: HnswParams, options: { adoptDocsFolder?: boolean } = {}): Promise<LoadedIndex | null> {
    const { indexDir, log } = this.options;
    if ((await currentGeneration(indexDir).catch(() => 'unreadable')) !== null) return null;
    await fs.mkdir(indexDir, { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await acquireWriteLock(indexDir);
    } catch (error) {
      if (error instanceof IndexLockedError) return null;
      throw error;
    }
    try {
      if ((await currentGeneration(indexDir)) !== null) return null;
      const started = performance.now();
      const newest = await this.store.changesSince(null);
      if (!newest) return null;
      if (!sameEmbedder(newest.manifest.embedder, embedder)) {
        log.warn('library sync: the database holds a library of another embedder; building one here', { database: newest.manifest.embedder.id, here: embedder.id });
        return null;
      }
      // The docs folder it was built from: a re-index here from another folder (an empty one on a
      // machine that only serves) is then refused, rather than publishing an empty library. An
      // indexer adopting the library for its own docs folder leaves it out: its documents are
      // then compared by hash, and only what differs is embedded.
      const docs = options.adoptDocsFolder ? undefined : newest.manifest.docs;
      const { index, fetchMs, buildMs } = await this.writeFromRows(newest, hnsw, docs, started);
      const { documents, passages } = index.manifest.counts;
      log.info('library sync: built the index from the database without embedding', { generation: newest.name, documents, passages, fetchMs, buildMs });
      return index;
    } finally {
      await release();
    }
  }

  /**
   * Builds a generation's graph and BM25 index from its rows (nothing embedded) and writes it as
   * the live generation of the index folder, with the published one's createdAt; the caller holds
   * the write lock.
   */
  private async writeFromRows(
    newest: GenerationDifference,
    hnsw: HnswParams,
    docs: DocsFolder | undefined,
    started: number,
  ): Promise<{ index: LoadedIndex; fetchMs: number; buildMs: number }> {
    const { manifest } = newest;
    const fetched = performance.now();
    const content = await buildFromVectors(newest.fresh, manifest.embedder, hnsw, manifest.splitter ?? '');
    const index = await writeGeneration(this.options.indexDir, {
      ...content,
      createdAt: manifest.createdAt,
      ...(manifest.similarityScale ? { similarityScale: manifest.similarityScale } : {}),
      ...(docs ? { docs } : {}),
    });
    return { index, fetchMs: Math.round(fetched - started), buildMs: Math.round(performance.now() - fetched) };
  }

  /** Keeps `target` up to date with the database from now on, starting with a catch-up. */
  serve(target: ServedIndex): Promise<void> {
    this.target = target;
    return this.pull();
  }

  /** Applies the database's newest generation to the served index when it is newer. */
  pull(): Promise<void> {
    return this.enqueue('could not apply the newest generation', () => (this.closed ? Promise.resolve() : this.pullNow()));
  }

  /** Publishes the generation here when it is newer than the database's newest. */
  push(): Promise<void> {
    return this.enqueue('could not publish the generation built here', () => this.pushNow());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watching?.();
    this.watching = null;
    await this.queue;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  /** One step at a time: a push and a pull never interleave. */
  private enqueue(failure: string, step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(async () => {
      await step().catch((error: unknown) => this.options.log.warn(`library sync: ${failure}`, { error: error instanceof Error ? error.message : String(error) }));
    });
    return this.queue;
  }

  private async pullNow(): Promise<void> {
    const target = this.target;
    if (!target) return;
    // The served index may be replaced (a re-index here) while the rows are fetched: then again.
    for (;;) {
      const index = target.served();
      const heldAt = index.manifest.createdAt;
      const started = performance.now();
      const change = await this.store.changesSince(index.manifest);
      if (!change) return;
      if (!sameEmbedder(change.manifest.embedder, index.manifest.embedder)) {
        if (this.refused !== change.name) {
          this.refused = change.name;
          this.options.log.warn('library sync: the newest generation in the database was built with another embedder; not served here', {
            generation: change.name,
            database: change.manifest.embedder.id,
            here: index.manifest.embedder.id,
          });
        }
        return;
      }
      if (target.served() !== index || index.manifest.createdAt !== heldAt) continue;
      const adding = change.fresh.reduce((sum, { passages }) => sum + passages.length, 0);
      if (adding > PATCH_MAX_SHARE * Math.max(index.passagesByLabel.size, 1) && (await this.replaceServed(target, index))) return;
      if (target.served() !== index || index.manifest.createdAt !== heldAt) continue;
      const fetched = performance.now();
      target.apply(index, { removed: change.removed, fresh: change.fresh, createdAt: change.manifest.createdAt, ...(change.manifest.splitter !== undefined ? { splitter: change.manifest.splitter } : {}) });
      this.options.log.info('library sync: applied the newest generation from the database', {
        generation: change.name,
        changed: change.fresh.length,
        removed: change.removed.length,
        fetchMs: Math.round(fetched - started),
        applyMs: Math.round(performance.now() - fetched),
      });
      return;
    }
  }

  /**
   * Builds the newest generation from the database's rows into the index folder and has the target
   * serve it. False when another process here is writing the folder (then the caller patches).
   */
  private async replaceServed(target: ServedIndex, index: LoadedIndex): Promise<boolean> {
    let release: () => Promise<void>;
    try {
      release = await acquireWriteLock(this.options.indexDir);
    } catch (error) {
      if (error instanceof IndexLockedError) return false;
      throw error;
    }
    try {
      const started = performance.now();
      const newest = await this.store.changesSince(null);
      if (!newest) return true;
      const { index: next, fetchMs, buildMs } = await this.writeFromRows(newest, index.manifest.hnsw, index.manifest.docs, started);
      target.replace(index, next);
      this.options.log.info('library sync: rebuilt the index from the newest generation in the database', { generation: newest.name, passages: next.manifest.counts.passages, fetchMs, buildMs });
      return true;
    } finally {
      await release();
    }
  }

  private async pushNow(): Promise<void> {
    const local = await localGeneration(this.options.indexDir);
    if (!local) return;
    const newest = await this.store.newest();
    if (newest && (newest.name === local.name || newest.createdAt >= local.createdAt)) return;
    const published = await this.store.publish(path.join(this.options.indexDir, local.name));
    if (published) this.options.log.info('library sync: published the generation built here', { ...published });
  }

  private watchLocal(): void {
    const file = path.join(this.options.indexDir, 'CURRENT');
    const listener = () => void this.push();
    watchFile(file, { interval: LOCAL_POLL_MS, persistent: false }, listener);
    this.watching = () => unwatchFile(file, listener);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || this.closed) return;
      lost = true;
      this.options.log.warn('library sync: lost the connection that hears of new generations; reconnecting', { error: error?.message });
      void client.end().catch(() => undefined);
      this.listenLater();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === LIBRARY_CHANNEL) void this.pull();
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${LIBRARY_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      throw error;
    }
  }

  /** Listens again after a pause, then catches up on any generation announced meanwhile. */
  private listenLater(): void {
    setTimeout(() => {
      if (this.closed) return;
      // A failure here schedules the next attempt itself (onLost).
      this.listen().then(
        () => this.pull(),
        () => undefined,
      );
    }, RECONNECT_MS).unref();
  }
}

/** The live generation here and when it was built, or null without one (or with one unreadable). */
async function localGeneration(indexDir: string): Promise<PublishedGeneration | null> {
  const name = await currentGeneration(indexDir).catch(() => null);
  if (!name) return null;
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(indexDir, name, 'manifest.json'), 'utf8')) as Manifest;
    return { name, createdAt: new Date(manifest.createdAt) };
  } catch {
    return null;
  }
}

function sameEmbedder(a: EmbedderIdentity, b: EmbedderIdentity): boolean {
  return a.id === b.id && a.dims === b.dims;
}
