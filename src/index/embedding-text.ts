import type { Document, Passage } from '../types.js';

/**
 * The text the embedder sees for a passage: "title › heading › sub-heading", a newline, then the
 * passage. Headings carry context the passage itself often lacks ("Results" under "2023 trial").
 * Indexing, search experiments and benchmarks all use this one function so their vectors agree.
 */
export function embeddingText(doc: Pick<Document, 'title'>, passage: Pick<Passage, 'headingPath' | 'text'>): string {
  const context = [doc.title, ...passage.headingPath].map((part) => part.trim()).filter((part) => part !== '');
  return context.length > 0 ? `${context.join(' › ')}\n${passage.text}` : passage.text;
}
