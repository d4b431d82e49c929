import type { Document, Passage } from '../types.js';
import type { SourceRule } from './config.js';

/**
 * The published address of the document at `rel` (relative to the docs folder): the rule's base URL
 * plus the path inside the rule's folder, as is. That fits static sites (`library/os.html`) and
 * repository browsers (`…/blob/main/docs/` + `guides/setup.md`) alike.
 */
export function documentUrl(rule: SourceRule, rel: string): string | undefined {
  if (rule.baseUrl === undefined) return undefined;
  const inside = rule.folder === '.' ? rel : rel.slice(rule.folder.length + 1);
  return rule.baseUrl + inside.split('/').map(encodeURIComponent).join('/');
}

/**
 * The link a citation of `passage` opens: the document's URL with the passage's section anchor, so
 * the reader lands at (or just above) the quoted text, or for a paged document (PDF) its page, the
 * `#page=N` that PDF viewers open at. Null when the document has no URL.
 */
export function passageUrl(doc: Pick<Document, 'url'>, passage: Pick<Passage, 'anchor'> & { page?: number }): string | null {
  if (doc.url === undefined) return null;
  const page = doc.url.replace(/#.*$/, '');
  if (passage.page !== undefined) return `${page}#page=${passage.page}`;
  if (passage.anchor === undefined || passage.anchor === '') return doc.url;
  // Parentheses too: Discord's Markdown links end at the first ")".
  return `${page}#${encodeURIComponent(passage.anchor).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
