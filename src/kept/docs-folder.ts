import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KEPT_FOLDER } from './render.js';

/** Where `/library add` puts files, inside the docs folder. */
export const UPLOADS_FOLDER = 'uploads';

/** A temporary name in the same folder: a dot file, which the loader and the watcher's re-index skip. */
const temporary = (dir: string) => path.join(dir, `.archivist-${randomBytes(6).toString('hex')}.part`);

/**
 * Writes a kept conversation's document, replacing an earlier version of it in one step (a rename), so
 * the watcher never indexes half a file. Returns whether it was new.
 */
export async function writeKept(docsDir: string, rel: string, markdown: string): Promise<'added' | 'updated'> {
  const target = path.join(docsDir, rel);
  await mkdir(path.dirname(target), { recursive: true });
  const existed = await exists(target);
  const temp = temporary(path.dirname(target));
  await writeFile(temp, markdown, 'utf8');
  await rename(temp, target);
  return existed ? 'updated' : 'added';
}

/** The kept documents named for message `key` (whatever their channel was called when kept). */
export async function keptFilesFor(docsDir: string, key: string): Promise<string[]> {
  const names = await readdir(path.join(docsDir, KEPT_FOLDER)).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith(`-${key}.md`) && !name.startsWith('.')).map((name) => `${KEPT_FOLDER}/${name}`);
}

/** The file types `/library add` takes, by extension, with what a user calls them. */
export const UPLOAD_TYPES: Record<string, string> = {
  '.pdf': 'PDF',
  '.docx': 'Word',
  '.md': 'Markdown',
  '.markdown': 'Markdown',
  '.txt': 'text',
  '.html': 'HTML',
  '.htm': 'HTML',
};

export const UPLOAD_TYPES_TEXT = 'PDF, Word (.docx), Markdown (.md), text (.txt) and HTML (.html)';

/**
 * A safe file name for an upload: the last path segment only, letters, digits, `.`, `_` and `-`
 * (anything else becomes `-`), no leading dot, at most 80 characters before the extension. Null with
 * the reason when the type is not one the library reads.
 */
export function uploadName(original: string): { stem: string; ext: string } | { refused: string } {
  const base = original.split(/[\\/]/).pop() ?? '';
  const ext = path.posix.extname(base).toLowerCase();
  if (!(ext in UPLOAD_TYPES)) {
    const what = ext ? `a "${ext}" file` : 'a file without an extension';
    return { refused: `"${base.slice(0, 100)}" is ${what}; the library reads ${UPLOAD_TYPES_TEXT}.` };
  }
  const stem = base
    .slice(0, base.length - ext.length)
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.\-_]+|[.\-]+$/g, '')
    .slice(0, 80);
  return { stem: stem || 'upload', ext };
}

/**
 * Saves upload bytes as `uploads/<stem><ext>`, never replacing a file: the same bytes already there are
 * reported as a duplicate; another file with that name (or another of the same stem, which would share
 * its document id) gets `-2`, `-3`… The final name is claimed with a hard link, which fails rather
 * than overwrite when two uploads race for it.
 */
export async function saveUpload(docsDir: string, name: { stem: string; ext: string }, bytes: Buffer): Promise<{ rel: string; duplicate: boolean }> {
  const dir = path.join(docsDir, UPLOADS_FOLDER);
  await mkdir(dir, { recursive: true });
  const temp = temporary(dir);
  await writeFile(temp, bytes);
  try {
    for (let n = 1; n < 1000; n++) {
      const stem = n === 1 ? name.stem : `${name.stem}-${n}`;
      const taken = (await readdir(dir)).filter((f) => f.slice(0, f.length - path.extname(f).length).toLowerCase() === stem.toLowerCase());
      for (const file of taken) {
        if ((await readFile(path.join(dir, file)).catch(() => null))?.equals(bytes)) return { rel: `${UPLOADS_FOLDER}/${file}`, duplicate: true };
      }
      if (taken.length > 0) continue;
      const file = `${stem}${name.ext}`;
      try {
        await link(temp, path.join(dir, file));
        return { rel: `${UPLOADS_FOLDER}/${file}`, duplicate: false };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`too many files named ${name.stem} in ${UPLOADS_FOLDER}/`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Files added from Discord (uploads and kept conversations), relative to the docs folder, sorted. */
export async function libraryFiles(docsDir: string): Promise<Array<{ rel: string; bytes: number }>> {
  const out: Array<{ rel: string; bytes: number }> = [];
  for (const folder of [UPLOADS_FOLDER, KEPT_FOLDER]) {
    const names = await readdir(path.join(docsDir, folder)).catch(() => [] as string[]);
    for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
      const info = await stat(path.join(docsDir, folder, name)).catch(() => null);
      if (info?.isFile()) out.push({ rel: `${folder}/${name}`, bytes: info.size });
    }
  }
  return out;
}

/**
 * Deletes a file added from Discord. `rel` must name a file directly inside uploads/ or discord/ (what
 * `libraryFiles` lists): nothing else in the docs folder can be deleted from Discord.
 */
export async function removeLibraryFile(docsDir: string, rel: string): Promise<boolean> {
  const known = await libraryFiles(docsDir);
  if (!known.some((file) => file.rel === rel)) return false;
  await unlink(path.join(docsDir, rel));
  return true;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
