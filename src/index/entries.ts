import type { Document, Passage } from '../types.js';
import type { LexicalEntry } from './lexical-index.js';

/** A passage as the BM25 index sees it: its text, its document's title and its headings. */
export function lexicalEntry(doc: Document, passage: Pick<Passage, 'text' | 'headingPath'>, label: number): LexicalEntry {
  return { label, text: passage.text, title: doc.title, headings: passage.headingPath.join(' ') };
}

/** A whole document for the page index: its text, title and every heading once. */
export function pageEntry(doc: Document, label: number): LexicalEntry {
  const headings = new Set(doc.blocks.flatMap((block) => block.headingPath));
  return { label, text: doc.text, title: doc.title, headings: [...headings].join(' ') };
}
