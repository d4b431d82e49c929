// Which docs folder an index belongs to. An index answers for one folder: used with another
// (`archivist ask --docs OTHER`, `npm start` after `archivist index --docs DIR`) it would quote the
// wrong library without a word, so that is refused with the way out. The same folder is recognised
// however it is named (relative or absolute path, through a symlink) and after the project folder
// holding both the docs and the index has moved or been copied.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DocsFolder } from './store.js';

/** The record written into the manifest for an index of `docsDir` kept in `indexDir`. */
export async function docsFolderRecord(indexDir: string, docsDir: string): Promise<DocsFolder> {
  const [docs, index] = await Promise.all([realPath(docsDir), realPath(indexDir)]);
  return { path: docs, fromIndex: path.relative(index, docs) };
}

/** Whether `docsDir` is the folder the index in `indexDir` was built from. */
export async function sameDocsFolder(recorded: DocsFolder, indexDir: string, docsDir: string): Promise<boolean> {
  const [docs, index] = await Promise.all([realPath(docsDir), realPath(indexDir)]);
  if (docs === recorded.path) return true;
  // Moved together: the docs folder is where it was relative to the index.
  return (await realPath(path.resolve(index, recorded.fromIndex))) === docs;
}

export function otherDocsMessage(indexDir: string, recordedPath: string, docsDir: string): string {
  return (
    `the index in ${indexDir} was built from ${recordedPath}, not ${path.resolve(docsDir)}: ` +
    `give each docs folder its own index (--index DIR or INDEX_DIR), or delete ${indexDir} to rebuild it from ${path.resolve(docsDir)}`
  );
}

/** The path with symlinks resolved; a folder that does not exist (yet) keeps its absolute path. */
async function realPath(dir: string): Promise<string> {
  return fs.realpath(dir).catch(() => path.resolve(dir));
}
