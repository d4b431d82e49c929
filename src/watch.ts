import { watch } from 'node:fs';
import path from 'node:path';
import { IndexLockedError } from './index/lock.js';
import type { LibraryApi } from './library-api.js';
import type { Logger } from './log.js';

/**
 * Keeps the index in step with the docs folder: any added, changed or removed file triggers an
 * incremental re-index once the folder has been quiet for `quietMs` (editors write in bursts), and,
 * with `catchUp` (the default), one re-index at the start catches up with changes made before the
 * watch began: the bot's library was opened as it was, `archivist index --watch` has just indexed.
 * Changes under `ignore` (the index and data folders, should they sit inside the docs folder) are
 * not documents. Each re-index logs its own line (what was added, changed and removed). Resolves
 * when `signal` aborts or the process is asked to stop.
 */
export async function watchDocs({
  library,
  docsDir,
  log,
  quietMs = 500,
  ignore = [],
  catchUp = true,
  signal,
}: {
  library: Pick<LibraryApi, 'reindex'>;
  docsDir: string;
  log: Logger;
  quietMs?: number;
  ignore?: string[];
  catchUp?: boolean;
  signal?: AbortSignal;
}): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  let running: Promise<void> | null = null;
  /** The pid of the other build we are waiting for, so that the wait is logged once. */
  let waitingFor: number | null = null;
  const run = async () => {
    pending = false;
    try {
      await library.reindex();
      waitingFor = null;
    } catch (error) {
      if (error instanceof IndexLockedError) {
        // An `archivist index` run beside us: try again until it is done, for changes it missed.
        if (waitingFor !== error.pid) log.info('another process is writing the index; re-indexing when it is done', { pid: error.pid });
        waitingFor = error.pid;
        pending = true;
      } else {
        log.error('re-index failed; answers keep coming from the previous index', { error });
      }
    }
    running = null;
    if (pending) schedule();
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) pending = true;
      else running = run();
    }, quietMs);
  };
  const ignored = ignore.map((dir) => path.resolve(dir));
  const isIgnored = (file: string | null) => {
    if (file === null) return false;
    const absolute = path.resolve(docsDir, file);
    return ignored.some((dir) => absolute === dir || absolute.startsWith(dir + path.sep));
  };
  const watcher = watch(docsDir, { recursive: true, signal }, (_event, file) => {
    if (!isIgnored(file)) schedule();
  });
  log.info(`watching ${docsDir} for changes`);
  // Files changed before the watch began (while the bot was down or starting) count too.
  if (catchUp) schedule();
  await new Promise<void>((resolve) => {
    watcher.on('close', resolve);
    watcher.on('error', (error) => {
      log.error('watching the docs folder failed', { error });
      resolve();
    });
    const stop = () => watcher.close();
    signal?.addEventListener('abort', stop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearTimeout(timer);
  await running;
}
