import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadIssue } from '../types.js';

/**
 * Where a folder of documents comes from: its name in citations and the web address it is published
 * at. Read from `archivist.sources.json` in the docs folder, a JSON array such as
 *
 *     [{ "folder": "python", "source": "Python 3.11 documentation", "baseUrl": "https://docs.python.org/3.11/" }]
 *
 * (`folder` relative to the docs folder, "." for all of it; a document follows the entry of its
 * closest folder). For the simple case of one source, `DOCS_SOURCE` and `DOCS_BASE_URL` act as a
 * "." entry for the documents no entry of the file covers.
 */
/** DOCS_SOURCE and DOCS_BASE_URL (Config.docsSource): the rule for what no entry of the folder's file covers. */
export interface DocsSource {
  source?: string;
  baseUrl?: string;
}

export interface SourceRule {
  /** POSIX path relative to the docs folder, without leading "./" or trailing "/"; "." is the docs folder. */
  folder: string;
  source?: string;
  /** Absolute http(s) URL ending in "/": a document's URL is this plus its path inside `folder`. */
  baseUrl?: string;
}

/** In the docs folder; the loader never reads it as a document. */
export const SOURCES_FILE = 'archivist.sources.json';

const KEYS = new Set(['folder', 'source', 'baseUrl']);

/**
 * The source rules for `dir`, most specific folder first. A bad entry in the file is reported as an
 * error and left out, like any bad file; a bad environment variable throws, like other bad settings.
 */
export async function readSourceRules(
  dir: string,
  folderDefault: DocsSource,
  report: (issue: LoadIssue) => void,
): Promise<SourceRule[]> {
  const rules = await fileRules(dir, report);
  const source = blankToUndefined(folderDefault.source);
  const baseUrl = blankToUndefined(folderDefault.baseUrl);
  if (source !== undefined || baseUrl !== undefined) {
    const rule = toRule({ folder: '.', source, baseUrl });
    if (typeof rule === 'string') throw new Error(`DOCS_SOURCE / DOCS_BASE_URL: ${rule}`);
    if (!rules.some((r) => r.folder === '.')) rules.push(rule);
  }
  return rules.sort((a, b) => depth(b.folder) - depth(a.folder));
}

async function fileRules(dir: string, report: (issue: LoadIssue) => void): Promise<SourceRule[]> {
  const fail = (message: string) => report({ path: SOURCES_FILE, level: 'error', message });
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(path.join(dir, SOURCES_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') fail(`not loaded: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
  if (!Array.isArray(entries)) {
    fail('not loaded: expected a JSON array of { "folder", "source", "baseUrl" } entries');
    return [];
  }
  const rules: SourceRule[] = [];
  for (const [i, entry] of entries.entries()) {
    const rule = toRule(entry);
    if (typeof rule === 'string') fail(`entry ${i + 1} ignored: ${rule}`);
    else if (rules.some((r) => r.folder === rule.folder)) fail(`entry ${i + 1} ignored: folder "${rule.folder}" is already listed`);
    else {
      // Most likely a typo, which would otherwise go unnoticed until someone misses a link.
      const found = await stat(path.join(dir, rule.folder)).catch(() => undefined);
      if (!found?.isDirectory()) report({ path: SOURCES_FILE, level: 'warning', message: `entry ${i + 1}: there is no folder "${rule.folder}"` });
      rules.push(rule);
    }
  }
  return rules;
}

/** The rule for a document at `rel` (relative to the docs folder): the one of its closest folder. */
export function sourceRuleFor(rules: readonly SourceRule[], rel: string): SourceRule | undefined {
  return rules.find((rule) => rule.folder === '.' || rel.startsWith(`${rule.folder}/`));
}

/** A valid rule, or why the entry is not one. */
function toRule(entry: unknown): SourceRule | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not an object';
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) return `unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (the keys are folder, source, baseUrl)`;
  const { folder, source, baseUrl } = fields;
  if (typeof folder !== 'string') return '"folder" must be a path relative to the docs folder, or "." for all of it';
  const normal = normalFolder(folder);
  if (normal === undefined) return `"folder" "${folder}" must be a path inside the docs folder`;
  if (source !== undefined && (typeof source !== 'string' || source.trim() === '')) return '"source" must be a non-empty string';
  if (baseUrl !== undefined && typeof baseUrl !== 'string') return '"baseUrl" must be a string';
  if (source === undefined && baseUrl === undefined) return 'give "source", "baseUrl" or both';
  const rule: SourceRule = { folder: normal };
  if (source !== undefined) rule.source = source.trim();
  if (baseUrl !== undefined) {
    const url = normalBaseUrl(baseUrl);
    if (url === undefined) return `"baseUrl" "${baseUrl}" must be an absolute http(s) URL without "#"`;
    rule.baseUrl = url;
  }
  return rule;
}

function normalFolder(folder: string): string | undefined {
  const parts = folder.trim().replaceAll('\\', '/').split('/').filter((part) => part !== '' && part !== '.');
  if (folder.trim().startsWith('/') || parts.includes('..')) return undefined;
  return parts.length === 0 ? '.' : parts.join('/');
}

/** With a trailing "/": without it, "…/3.11" + "library/os.html" would resolve to "…/library/os.html". */
function normalBaseUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash !== '' || raw.includes('#')) return undefined;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

function depth(folder: string): number {
  return folder === '.' ? 0 : folder.split('/').length;
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
