import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadIssue } from '../types.js';
import { BUILT_IN_RULES, buildOutputRules, IGNORE_FILE, isIgnored, parseIgnore, type IgnoreRule } from './ignore.js';

interface Rules {
  builtIn: IgnoreRule[];
  /** From `.archivistignore` files: checked after the built-in rules, so they have the last word. */
  user: IgnoreRule[];
}

/**
 * Relative POSIX paths of the files under `root` that are not ignored (see ignore.ts), in plain
 * code-unit order so that the same folder gives the same order everywhere.
 */
export async function listFiles(root: string, report: (issue: LoadIssue) => void): Promise<string[]> {
  const files: string[] = [];
  await walk(root, '', { builtIn: BUILT_IN_RULES, user: [] }, report, files);
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function walk(root: string, rel: string, inherited: Rules, report: (issue: LoadIssue) => void, files: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch (err) {
    // A missing or unreadable docs folder is a setup mistake; an unreadable subfolder is one bad entry.
    if (rel === '') throw err;
    report({ path: rel, level: 'error', message: `folder not read: ${message(err)}` });
    return;
  }
  const names = entries.map((entry) => entry.name);
  const rules: Rules = { builtIn: [...inherited.builtIn, ...buildOutputRules(rel, names)], user: inherited.user };
  if (names.includes(IGNORE_FILE)) {
    const file = join(rel, IGNORE_FILE);
    try {
      rules.user = [...rules.user, ...parseIgnore(await readFile(path.join(root, file), 'utf8'), rel)];
    } catch (err) {
      report({ path: file, level: 'error', message: `ignore file not read: ${message(err)}` });
    }
  }
  const all = [...rules.builtIn, ...rules.user];

  for (const entry of entries) {
    const child = join(rel, entry.name);
    let kind: 'file' | 'folder' | 'linked folder' | undefined;
    if (entry.isDirectory()) kind = 'folder';
    else if (entry.isFile()) kind = 'file';
    else if (entry.isSymbolicLink()) {
      const target = await stat(path.join(root, child)).catch(() => undefined);
      kind = target?.isFile() ? 'file' : target?.isDirectory() ? 'linked folder' : undefined;
    }
    if (kind === undefined || isIgnored(all, child, kind !== 'file')) continue;
    if (kind === 'file') files.push(child);
    else if (kind === 'folder') await walk(root, child, rules, report, files);
    // Linked folders can form cycles; link the docs folder itself instead if it lives elsewhere.
    else report({ path: child, level: 'warning', message: 'skipped: linked folders are not followed' });
  }
}

function join(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
