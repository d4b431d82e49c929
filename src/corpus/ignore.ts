import { SOURCES_FILE } from '../sources/config.js';
import { escapeRegExp } from '../escape-regexp.js';

/**
 * Which files of the docs folder are not documents, with `.gitignore` rules.
 *
 * What is skipped, from lowest to highest precedence (a later matching rule wins, so `!pattern`
 * in an ignore file can bring back what a built-in default skips):
 *
 * 1. Built-in, everywhere: dot-entries (`.*`) and `node_modules/`.
 * 2. Built-in, in the docs folder itself: `archivist.sources.json` (loader settings, not a document).
 * 3. Built-in, in the root of a Sphinx HTML build (a folder holding `.buildinfo`, `objects.inv` or
 *    `searchindex.js`, files only Sphinx writes): its `_*` folders (`_sources` holds every page a
 *    second time as reST, `_static`, `_images`, `_downloads`, `_modules`), the generated index and
 *    search pages (`genindex*.html`, `*-modindex.html`, `search.html`) and the build's own data
 *    files (`searchindex.js`, `objects.inv`, `*.devhelp.gz`). Underscore folders are not skipped
 *    anywhere else: Jekyll keeps its posts in `_posts`.
 * 4. `.archivistignore` files, in any folder, for that folder and below, with `.gitignore` syntax:
 *    `#` comments, `!` negation, a trailing `/` for folders only, a leading or inner `/` anchoring
 *    the pattern to the ignore file's folder, `*`, `?`, `[...]` and `**`.
 *
 * Skipped entries are skipped silently: warnings are for files a user expects to be indexed. As in
 * git, nothing inside a skipped folder can be brought back, since the folder is not read.
 */

export const IGNORE_FILE = '.archivistignore';

export interface IgnoreRule {
  /** Folder of the rule's origin, relative to the docs folder, '' for the docs folder itself. */
  base: string;
  /** Tested against the path relative to `base` when anchored, else against the entry's name. */
  regex: RegExp;
  anchored: boolean;
  negate: boolean;
  dirOnly: boolean;
}

export const BUILT_IN_RULES: IgnoreRule[] = [...parseIgnore('.*\nnode_modules/', ''), ...parseIgnore(`/${SOURCES_FILE}`, '')];

const SPHINX_MARKERS = ['.buildinfo', 'objects.inv', 'searchindex.js'];
const SPHINX_OUTPUT = [
  '/_*/',
  '/genindex.html',
  '/genindex-*.html',
  '/*-modindex.html',
  '/search.html',
  '/searchindex.js',
  '/objects.inv',
  '/*.devhelp.gz',
].join('\n');

/** Rules for the build artefacts of a folder, given the names of its entries: Sphinx output or none. */
export function buildOutputRules(folder: string, names: readonly string[]): IgnoreRule[] {
  return names.some((name) => SPHINX_MARKERS.includes(name)) ? parseIgnore(SPHINX_OUTPUT, folder) : [];
}

/** Rules of one ignore file found in `base` (relative to the docs folder). */
export function parseIgnore(content: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of content.split(/\r?\n/)) {
    line = line.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    rules.push({ base, regex: new RegExp(`^${globSource(line)}$`), anchored, negate, dirOnly });
  }
  return rules;
}

/** Whether the entry at `rel` (relative to the docs folder) is skipped: the last matching rule decides. */
export function isIgnored(rules: readonly IgnoreRule[], rel: string, isDir: boolean): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (rule.dirOnly && !isDir) continue;
    if (rule.base !== '' && !rel.startsWith(`${rule.base}/`)) continue;
    const subject = rule.anchored ? (rule.base === '' ? rel : rel.slice(rule.base.length + 1)) : name;
    if (rule.regex.test(subject)) return !rule.negate;
  }
  return false;
}

/** A gitignore glob as a regular expression: `*` and `?` stop at `/`, `**` spans folders. */
function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      let j = i;
      while (glob[j + 1] === '*') j++;
      const wholeSegment = j > i && (i === 0 || glob[i - 1] === '/') && (j + 1 === glob.length || glob[j + 1] === '/');
      if (wholeSegment && j + 1 === glob.length) out += '.+';
      else if (wholeSegment) {
        out += '(?:.*/)?';
        j++; // The slash is part of "any number of folders".
      } else out += '[^/]*';
      i = j;
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const set = glob.slice(i + 1, close).replace(/^!/, '^');
        out += `(?!/)[${set}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += escapeRegExp(glob[++i]!);
    else out += escapeRegExp(c);
  }
  return out;
}
