// Keeps a process's index folder and the database's generations in step (see pg-generations.ts):
// a generation written here (a build, /reindex, `archivist index`) is published when it is newer
// than the database's newest; a newer one published elsewhere is copied in when announced. The
// newest manifest createdAt wins everywhere.

import { unwatchFile, watchFile } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../log.js';
import { migrate } from '../records/postgres/migrations.js';
import { describeDatabaseUrl } from '../records/postgres/open.js';
import { IndexLockedError, acquireWriteLock } from './lock.js';
import { LIBRARY_CHANNEL, PostgresGenerations, type GenerationStore, type PublishedGeneration } from './pg-generations.js';
import { currentGeneration, removeLeftovers, syncPath, type Manifest } from './store.js';

/** How often the local CURRENT is looked at for a generation to publish (Library.follow looks every second too). */
const LOCAL_POLL_MS = 500;
/** After the LISTEN connection drops, how long before reconnecting (and catching up on what was missed). */
const RECONNECT_MS = 1000;

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

  private constructor(
    private readonly pool: pg.Pool,
    private readonly store: GenerationStore,
    private readonly options: GenerationSyncOptions,
  ) {}

  /**
   * Connects, migrates, listens, and copies in the database's newest generation before returning,
   * so that the library then loads it instead of building one. Then publishes what is built here.
   */
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
    await sync.pull();
    sync.watchLocal();
    return sync;
  }

  /** Copies in the database's newest generation when it is newer than the one here. */
  pull(): Promise<void> {
    // Not after close: the folder may be going away.
    return this.enqueue('could not copy in the newest generation', () => (this.closed ? Promise.resolve() : this.pullNow()));
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

  /** One step at a time: a push and a pull never interleave in the folder. */
  private enqueue(failure: string, step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(async () => {
      await step().catch((error: unknown) => this.options.log.warn(`library sync: ${failure}`, { error: error instanceof Error ? error.message : String(error) }));
    });
    return this.queue;
  }

  private async pullNow(): Promise<void> {
    const { indexDir, log } = this.options;
    const newest = await this.store.newest();
    if (!newest) return;
    const local = await localGeneration(indexDir);
    if (local && (local.name === newest.name || local.createdAt >= newest.createdAt)) return;
    let release: () => Promise<void>;
    try {
      release = await acquireWriteLock(indexDir);
    } catch (error) {
      // A build here: what it writes is pushed when it finishes, and the newest wins then.
      if (error instanceof IndexLockedError) return;
      throw error;
    }
    try {
      const target = path.join(indexDir, newest.name);
      if (!(await exists(path.join(target, 'manifest.json')))) {
        const temp = path.join(indexDir, `tmp-${Date.now()}-${process.pid}`);
        await this.store.copyOut(newest.name, temp);
        await syncPath(temp);
        await fs.rename(temp, target);
      }
      const pointer = path.join(indexDir, `CURRENT.tmp-${process.pid}`);
      await fs.writeFile(pointer, `${newest.name}\n`);
      await syncPath(pointer);
      await fs.rename(pointer, path.join(indexDir, 'CURRENT'));
      await syncPath(indexDir);
      await removeLeftovers(indexDir);
      log.info('library sync: copied in the newest generation from the database', { generation: newest.name });
    } finally {
      await release();
    }
  }

  private async pushNow(): Promise<void> {
    const local = await localGeneration(this.options.indexDir);
    if (!local) return;
    const newest = await this.store.newest();
    if (newest && (newest.name === local.name || newest.createdAt >= local.createdAt)) return;
    if (await this.store.publish(path.join(this.options.indexDir, local.name))) {
      this.options.log.info('library sync: published the generation built here', { generation: local.name });
    }
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

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
