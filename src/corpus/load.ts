import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Document, LoadIssue } from '../types.js';
import type { Parsed } from './builder.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { parseText } from './text.js';

/** Part of every document hash: bump it when parsing changes so that all documents are re-embedded. */
export const LOADER_VERSION = 'archivist-loader/1';

const PARSERS: Record<string, (content: string) => Parsed> = {
  '.md': parseMarkdown,
  '.markdown': parseMarkdown,
  '.txt': parseText,
  '.html': parseHtml,
  '.htm': parseHtml,
};

/**
 * Loads every supported file under `dir`, in path order. A file that cannot be read or parsed
 * becomes an `error` issue and the others still load; skipped files become `warning` issues.
 */
export async function loadCorpus(
  dir: string,
  opts: { onIssue?: (issue: LoadIssue) => void } = {},
): Promise<{ documents: Document[]; issues: LoadIssue[] }> {
  const issues: LoadIssue[] = [];
  const report = (issue: LoadIssue): void => {
    issues.push(issue);
    opts.onIssue?.(issue);
  };
  const documents: Document[] = [];
  const idOwners = new Map<string, string>();

  // Plain code-unit order, not locale order: the same folder gives the same order everywhere.
  const files = (await listFiles(dir, '', report)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const rel of files) {
    const ext = path.posix.extname(rel);
    const parse = PARSERS[ext.toLowerCase()];
    if (parse === undefined) {
      report({ path: rel, level: 'warning', message: `skipped: unsupported file type "${ext || '(no extension)'}"` });
      continue;
    }
    let raw: Buffer;
    let parsed: Parsed;
    try {
      raw = await readFile(path.join(dir, rel));
      parsed = parse(decodeUtf8(raw));
    } catch (err) {
      report({ path: rel, level: 'error', message: `not loaded: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    for (const message of parsed.warnings) report({ path: rel, level: 'warning', message });

    const id = rel.slice(0, rel.length - ext.length);
    const owner = idOwners.get(id);
    if (owner !== undefined) {
      // Citations are `${id}:${n}`: two documents with one id would make refs ambiguous.
      report({ path: rel, level: 'warning', message: `skipped: its id "${id}" is already used by ${owner}` });
      continue;
    }
    if (parsed.blocks.length === 0) {
      report({ path: rel, level: 'warning', message: 'skipped: no text to index' });
      continue;
    }
    idOwners.set(id, rel);
    documents.push(toDocument(id, rel, raw, parsed));
  }
  return { documents, issues };
}

function toDocument(id: string, rel: string, raw: Buffer, parsed: Parsed): Document {
  const doc: Document = {
    id,
    path: rel,
    title: parsed.title ?? path.posix.basename(id),
    text: parsed.text,
    blocks: parsed.blocks,
    hash: createHash('sha256').update(raw).update(LOADER_VERSION).digest('hex'),
  };
  if (parsed.source !== undefined) doc.source = parsed.source;
  if (parsed.date !== undefined) doc.date = parsed.date;
  if (parsed.url !== undefined) doc.url = parsed.url;
  if (parsed.keyPoints.length > 0) doc.keyPoints = parsed.keyPoints;
  return doc;
}

/** Strict UTF-8 (a mis-decoded file would be quoted as mojibake), without BOM, with `\n` line ends. */
function decodeUtf8(raw: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new Error('the file is not valid UTF-8');
  }
  return text.replace(/\r\n?/g, '\n');
}

/** Relative POSIX paths of the files under `dir`, skipping dot-entries and node_modules. */
async function listFiles(root: string, rel: string, report: (issue: LoadIssue) => void, files: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch (err) {
    // A missing or unreadable docs folder is a setup mistake; an unreadable subfolder is one bad entry.
    if (rel === '') throw err;
    report({ path: rel, level: 'error', message: `folder not read: ${err instanceof Error ? err.message : String(err)}` });
    return files;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) await listFiles(root, child, report, files);
    else if (entry.isFile()) files.push(child);
    else if (entry.isSymbolicLink()) {
      const target = await stat(path.join(root, child)).catch(() => undefined);
      if (target?.isFile()) files.push(child);
      // Linked folders can form cycles; link the docs folder itself instead if it lives elsewhere.
      else if (target?.isDirectory()) report({ path: child, level: 'warning', message: 'skipped: linked folders are not followed' });
    }
  }
  return files;
}
