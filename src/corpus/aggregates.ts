// Single-page editions: mdBook's print.html, Node.js's all.html, Sphinx's singlehtml. Each repeats
// the pages beside it, whole; indexing both doubles the embedding work and lets a quote cite the
// 10,000-passage edition instead of the page (and section link) a reader would open.
import type { Document } from '../types.js';

/** Blocks shorter than this never count as repeated: short lines ("Example:", "Note") recur by chance. */
const MIN_BLOCK_CHARS = 40;
/** A page counts as included when this share of its text is in the edition. */
const INCLUDED_SHARE = 0.8;
/** An edition is this share or more pages it includes. */
const COVERED_SHARE = 0.8;
/** Fewer included pages is a page quoting another, not an edition of several. */
const MIN_INCLUDED_PAGES = 3;

export interface Aggregate {
  id: string;
  /** Ids of the documents it repeats. */
  includes: string[];
}

/**
 * The documents that are mostly other documents of the corpus, each included whole: at least
 * three pages, each at most half the edition's size and at least 80% in it, together making up 80%
 * of it. Identical copies of one page are not editions of each other (each is as large as the
 * other); a fragment included in many pages is not one either (those pages are not in it).
 */
export function findAggregates(documents: readonly Document[]): Aggregate[] {
  const blocks = new Map<string, Array<{ key: string; length: number }>>();
  const holders = new Map<string, Set<string>>();
  for (const doc of documents) {
    const own: Array<{ key: string; length: number }> = [];
    for (const block of doc.blocks) {
      const key = doc.text.slice(block.start, block.end).replace(/\s+/g, ' ').trim();
      if (key.length < MIN_BLOCK_CHARS) continue;
      own.push({ key, length: key.length });
      let where = holders.get(key);
      if (!where) holders.set(key, (where = new Set()));
      where.add(doc.id);
    }
    blocks.set(doc.id, own);
  }
  const size = (id: string) => (blocks.get(id) ?? []).reduce((sum, block) => sum + block.length, 0);

  const aggregates: Aggregate[] = [];
  for (const doc of documents) {
    const total = size(doc.id);
    // Chars of each other page's text that are also in this one.
    const shared = new Map<string, number>();
    for (const { key, length } of blocks.get(doc.id)!) {
      for (const other of holders.get(key)!) if (other !== doc.id) shared.set(other, (shared.get(other) ?? 0) + length);
    }
    const includes = [...shared].flatMap(([other, chars]) => {
      const otherSize = size(other);
      return otherSize > 0 && otherSize <= total / 2 && chars / otherSize >= INCLUDED_SHARE ? [other] : [];
    });
    if (includes.length < MIN_INCLUDED_PAGES) continue;
    const included = new Set(includes.flatMap((id) => blocks.get(id)!.map((block) => block.key)));
    const covered = blocks.get(doc.id)!.reduce((sum, block) => sum + (included.has(block.key) ? block.length : 0), 0);
    if (covered / total >= COVERED_SHARE) aggregates.push({ id: doc.id, includes: includes.sort() });
  }
  return aggregates;
}
