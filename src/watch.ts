import { watch } from 'node:fs';
import type { Library } from './library.js';
import type { Logger } from './log.js';

/**
 * Keeps the index in step with the docs folder: any added, changed or removed file triggers an
 * incremental re-index once the folder has been quiet for `quietMs` (editors write in bursts).
 * Resolves when `signal` aborts.
 */
export async function watchDocs({
  library,
  docsDir,
  log,
  quietMs = 500,
  signal,
}: {
  library: Library;
  docsDir: string;
  log: Logger;
  quietMs?: number;
  signal?: AbortSignal;
}): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  let running: Promise<void> | null = null;
  const run = async () => {
    pending = false;
    try {
      const report = await library.reindex();
      if (report.added + report.changed + report.removed > 0) {
        log.info('index updated', { ...report });
      }
    } catch (error) {
      log.error('re-index failed; answers keep coming from the previous index', { error });
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
  const watcher = watch(docsDir, { recursive: true, signal }, schedule);
  log.info(`watching ${docsDir} for changes (Ctrl-C to stop)`);
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
