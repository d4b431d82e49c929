// Documents that only repeat others. Single-page editions (mdBook's print.html, Node.js's all.html,
// Sphinx's singlehtml) repeat the pages beside them, whole; rustdoc writes a re-exported item's page
// twice (std::collections::HashMap and std::collections::hash_map::HashMap), and moved-page stubs
// say the same thing under many names. Indexing them multiplies the embedding work, and lets a quote
// cite the 10,000-passage edition instead of the page (and section link) a reader would open.
import type { Document } from '../types.js';

/** Blocks shorter than this never count as repeated: short lines ("Example:", "Note") recur by chance. */
const MIN_BLOCK_CHARS = 40;
/** A page counts as included in an edition when this share of its text is in it. */
const INCLUDED_SHARE = 0.8;
/** An edition is this share or more pages it includes. */
const COVERED_SHARE = 0.8;
/** Fewer included pages is a page quoting another, not an edition of several. */
const MIN_INCLUDED_PAGES = 3;
/** Two documents sharing this share of their text, each way, are copies of one page. */
const COPY_SHARE = 0.9;

export type Repeat =
  /** Made of three or more other documents, whole. */
  | { id: string; kind: 'edition'; of: string[] }
  /** The same page as an earlier document (in path order), which is kept. */
  | { id: string; kind: 'copy'; of: [string] };

interface Text {
  blocks: Array<{ key: string; length: number }>;
  size: number;
}

/**
 * The documents to leave out: editions, then copies among the rest. An edition is made of at least
 * three pages, each at most half its size and at least 80% in it, together 80% of it. A copy shares
 * 90% of its text with a kept document, and that document 90% of its text with it. A fragment
 * included in many pages is neither (those pages are not in it, and much larger).
 */
export function findRepeats(documents: readonly Document[]): Repeat[] {
  const texts = new Map<string, Text>();
  const holders = new Map<string, Set<string>>();
  for (const doc of documents) {
    const blocks: Text['blocks'] = [];
    for (const block of doc.blocks) {
      const key = doc.text.slice(block.start, block.end).replace(/\s+/g, ' ').trim();
      if (key.length < MIN_BLOCK_CHARS) continue;
      blocks.push({ key, length: key.length });
      let where = holders.get(key);
      if (!where) holders.set(key, (where = new Set()));
      where.add(doc.id);
    }
    texts.set(doc.id, { blocks, size: blocks.reduce((sum, block) => sum + block.length, 0) });
  }
  /** Chars of `id`'s text that each other document also holds. */
  const sharedWith = (id: string): Map<string, number> => {
    const shared = new Map<string, number>();
    for (const { key, length } of texts.get(id)!.blocks) {
      for (const other of holders.get(key)!) if (other !== id) shared.set(other, (shared.get(other) ?? 0) + length);
    }
    return shared;
  };

  const repeats: Repeat[] = [];
  const editions = new Set<string>();
  for (const doc of documents) {
    const { blocks, size } = texts.get(doc.id)!;
    const includes = [...sharedWith(doc.id)].flatMap(([other, chars]) => {
      const otherSize = texts.get(other)!.size;
      return otherSize > 0 && otherSize <= size / 2 && chars / otherSize >= INCLUDED_SHARE ? [other] : [];
    });
    if (includes.length < MIN_INCLUDED_PAGES) continue;
    const included = new Set(includes.flatMap((id) => texts.get(id)!.blocks.map((block) => block.key)));
    const covered = blocks.reduce((sum, block) => sum + (included.has(block.key) ? block.length : 0), 0);
    if (covered / size < COVERED_SHARE) continue;
    repeats.push({ id: doc.id, kind: 'edition', of: includes.sort() });
    editions.add(doc.id);
  }

  const kept = new Set<string>();
  for (const doc of documents) {
    if (editions.has(doc.id)) continue;
    const { size } = texts.get(doc.id)!;
    const original = size === 0 ? undefined : [...sharedWith(doc.id)].find(([other, chars]) => {
      if (!kept.has(other) || chars / size < COPY_SHARE) return false;
      const back = sharedWith(other).get(doc.id) ?? 0;
      return back / texts.get(other)!.size >= COPY_SHARE;
    });
    if (original) repeats.push({ id: doc.id, kind: 'copy', of: [original[0]] });
    else kept.add(doc.id);
  }
  return repeats;
}
