import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSourceRules, sourceRuleFor, type SourceRule } from '../sources/config.js';
import { documentUrl } from '../sources/url.js';
import type { Document, LoadIssue } from '../types.js';
import type { Parsed } from './builder.js';
import { listFiles } from './files.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { parseText } from './text.js';

/**
 * Part of every document hash: bump it when parsing changes, since an unchanged hash keeps a
 * document's stored passages and vectors. (Splitting has its own version, SPLITTER_VERSION.)
 */
export const LOADER_VERSION = 'archivist-loader/2';

const PARSERS: Record<string, (content: string) => Parsed> = {
  '.md': parseMarkdown,
  '.markdown': parseMarkdown,
  '.txt': parseText,
  '.html': parseHtml,
  '.htm': parseHtml,
};

/**
 * Loads every supported file under `dir` that is not ignored (see ignore.ts), in path order, with
 * source names and URLs from archivist.sources.json or `env` (see sources/config.ts). A file that
 * cannot be read or parsed becomes an `error` issue and the others still load; a file a user would
 * expect to be indexed but is not becomes a `warning` issue.
 */
export async function loadCorpus(
  dir: string,
  opts: {
    onIssue?: (issue: LoadIssue) => void;
    env?: NodeJS.ProcessEnv;
    /** A document already loaded from the same bytes (same id and hash), to use instead of parsing again. */
    reuse?: (id: string, hash: string) => Document | undefined;
  } = {},
): Promise<{ documents: Document[]; issues: LoadIssue[] }> {
  const issues: LoadIssue[] = [];
  const report = (issue: LoadIssue): void => {
    issues.push(issue);
    opts.onIssue?.(issue);
  };
  const documents: Document[] = [];
  const idOwners = new Map<string, string>();
  const sources = await readSourceRules(dir, opts.env ?? process.env, report);

  for (const rel of await listFiles(dir, report)) {
    const ext = path.posix.extname(rel);
    const parse = PARSERS[ext.toLowerCase()];
    if (parse === undefined) {
      report({ path: rel, level: 'warning', message: `skipped: unsupported file type "${ext || '(no extension)'}"` });
      continue;
    }
    const id = rel.slice(0, rel.length - ext.length);
    const owner = idOwners.get(id);
    if (owner !== undefined) {
      // Citations are `${id}:${n}`: two documents with one id would make refs ambiguous.
      report({ path: rel, level: 'warning', message: `skipped: its id "${id}" is already used by ${owner}` });
      continue;
    }
    const rule = sourceRuleFor(sources, rel);
    let raw: Buffer;
    let parsed: Parsed;
    try {
      raw = await readFile(path.join(dir, rel));
      const known = opts.reuse?.(id, documentHash(raw, rule));
      if (known) {
        idOwners.set(id, rel);
        documents.push(known);
        continue;
      }
      parsed = parse(decodeUtf8(raw));
    } catch (err) {
      report({ path: rel, level: 'error', message: `not loaded: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    for (const message of parsed.warnings) report({ path: rel, level: 'warning', message });
    if (parsed.blocks.length === 0) {
      report({ path: rel, level: 'warning', message: 'skipped: no text to index' });
      continue;
    }
    idOwners.set(id, rel);
    documents.push(toDocument(id, rel, raw, parsed, rule));
  }
  return { documents, issues };
}

/** Decides re-embedding: the file's bytes, the loader version and the source rule applied to it. */
function documentHash(raw: Buffer, rule: SourceRule | undefined): string {
  const hash = createHash('sha256').update(raw).update(LOADER_VERSION);
  // The rule shapes the stored document too: a changed base URL must reach the index.
  if (rule !== undefined) hash.update(JSON.stringify(rule));
  return hash.digest('hex');
}

function toDocument(id: string, rel: string, raw: Buffer, parsed: Parsed, rule: SourceRule | undefined): Document {
  const doc: Document = {
    id,
    path: rel,
    title: parsed.title ?? path.posix.basename(id),
    text: parsed.text,
    blocks: parsed.blocks,
    hash: documentHash(raw, rule),
  };
  // Declared by the file, then configured for its folder, then guessed from the page's markup.
  const source = parsed.source ?? rule?.source ?? parsed.site?.source;
  const url = parsed.url ?? (rule && documentUrl(rule, rel)) ?? parsed.site?.url;
  if (source !== undefined) doc.source = source;
  if (parsed.date !== undefined) doc.date = parsed.date;
  if (url !== undefined) doc.url = url;
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
