import type { LibraryApi, ReindexReport } from '../library-api.js';

/**
 * Re-indexes until the library shows the change (`done`), so that what was just added can be asked
 * about (or what was removed is gone) at once, even with WATCH_DOCS=0. A re-index already running may
 * have listed the folder before the change: then one more is run. False when the change is still not
 * in the index after that (the loader skipped the file: it says why in the bot's log).
 */
export async function reindexUntil(library: () => LibraryApi, done: (library: LibraryApi) => boolean): Promise<{ indexed: boolean; report: ReindexReport }> {
  let report = await library().reindex();
  if (!done(library())) report = await library().reindex();
  return { indexed: done(library()), report };
}

/** Whether the library has a document loaded from `rel` (a path relative to the docs folder). */
export const hasDocument = (rel: string) => (library: LibraryApi) => library.documents().some((doc) => doc.path === rel);
