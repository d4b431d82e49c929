// Documents that only repeat others. Single-page editions (mdBook's print.html, Node.js's all.html,
// Sphinx's singlehtml) repeat the pages beside them, whole; rustdoc writes a re-exported item's page
// twice (std::collections::HashMap and std::collections::hash_map::HashMap), and moved-page stubs
// say the same thing under many names. Indexing them multiplies the embedding work, and lets a quote
// cite the 10,000-passage edition instead of the page (and section link) a reader would open.
import type { Document } from '../types.js';

/** Blocks shorter than this never count as repeated: short lines ("Example:", "Note") recur by chance. */
const MIN_BLOCK_CHARS = 40;
/**
 * A block in more documents than this is boilerplate (rustdoc repeats "Returns the argument
 * unchanged." on every type's page), which says nothing about what includes what. A page's own
 * text is in it, an edition or two, and perhaps a copy.
 */
const MAX_HOLDERS = 4;
/** A page counts as included in an edition when this share of its own text is in it. */
const INCLUDED_SHARE = 0.8;
/** An edition is this share or more pages it includes (of its own text). */
const COVERED_SHARE = 0.8;
/** Fewer included pages is a page quoting another, not an edition of several. */
const MIN_INCLUDED_PAGES = 3;
/** A copy holds this share of the kept document's text (and all of its own is in that document). */
const COPY_SHARE = 0.9;

export type Repeat =
  /** Made of three or more other documents, whole. */
  | { id: string; kind: 'edition'; of: string[] }
  /** The same page as an earlier document (in path order), which is kept. */
  | { id: string; kind: 'copy'; of: [string] };

interface Block {
  key: string;
  length: number;
}

/** One document's long blocks and its own (not boilerplate) ones, with their sizes in chars. */
interface Text {
  blocks: Block[];
  size: number;
  own: Block[];
  ownSize: number;
}

const chars = (blocks: Block[]) => blocks.reduce((sum, block) => sum + block.length, 0);

/**
 * The documents to leave out: editions, then copies among the rest.
 *
 * An edition is made of at least three pages, each at most half its size and with 80% of its own
 * text in it, which together make up 80% of its own text. "Own" text leaves out boilerplate, so
 * that a rustdoc page is not taken for an edition of the pages that share its trait listings.
 *
 * A copy adds nothing to a document kept before it: every block of it is in that document, and it
 * holds 90% of that document's text. Moved-page stubs are copies; two iterator pages that differ
 * in one sentence are not.
 */
export function findRepeats(documents: readonly Document[]): Repeat[] {
  const blocksOf = new Map<string, Block[]>();
  const holders = new Map<string, Set<string>>();
  for (const doc of documents) {
    const blocks: Block[] = [];
    for (const block of doc.blocks) {
      const key = doc.text.slice(block.start, block.end).replace(/\s+/g, ' ').trim();
      if (key.length < MIN_BLOCK_CHARS) continue;
      blocks.push({ key, length: key.length });
      let where = holders.get(key);
      if (!where) holders.set(key, (where = new Set()));
      where.add(doc.id);
    }
    blocksOf.set(doc.id, blocks);
  }
  const texts = new Map<string, Text>();
  for (const [id, blocks] of blocksOf) {
    const own = blocks.filter((block) => holders.get(block.key)!.size <= MAX_HOLDERS);
    texts.set(id, { blocks, size: chars(blocks), own, ownSize: chars(own) });
  }

  const repeats: Repeat[] = [];
  const editions = new Set<string>();
  for (const doc of documents) {
    const mine = texts.get(doc.id)!;
    if (mine.ownSize === 0) continue;
    // Own text of each other document that is in this one.
    const shared = new Map<string, number>();
    for (const { key, length } of mine.own) {
      for (const other of holders.get(key)!) if (other !== doc.id) shared.set(other, (shared.get(other) ?? 0) + length);
    }
    const includes = [...shared].flatMap(([other, inHere]) => {
      const theirs = texts.get(other)!;
      return theirs.ownSize > 0 && theirs.size <= mine.size / 2 && inHere / theirs.ownSize >= INCLUDED_SHARE ? [other] : [];
    });
    if (includes.length < MIN_INCLUDED_PAGES) continue;
    const included = new Set(includes.flatMap((id) => texts.get(id)!.own.map((block) => block.key)));
    const covered = chars(mine.own.filter((block) => included.has(block.key)));
    if (covered / mine.ownSize < COVERED_SHARE) continue;
    repeats.push({ id: doc.id, kind: 'edition', of: includes.sort() });
    editions.add(doc.id);
  }

  const kept = new Set<string>();
  for (const doc of documents) {
    if (editions.has(doc.id)) continue;
    const original = copied(doc.id, texts, holders, kept);
    if (original) repeats.push({ id: doc.id, kind: 'copy', of: [original] });
    else kept.add(doc.id);
  }
  return repeats;
}

/** The kept document that `id` is a copy of, if any. */
function copied(id: string, texts: Map<string, Text>, holders: Map<string, Set<string>>, kept: Set<string>): string | undefined {
  const { blocks } = texts.get(id)!;
  if (blocks.length === 0) return undefined;
  // Only a document holding every block can be the original: start from the rarest block's holders.
  const rarest = blocks.reduce((a, b) => (holders.get(b.key)!.size < holders.get(a.key)!.size ? b : a));
  const keys = new Set(blocks.map((block) => block.key));
  for (const other of holders.get(rarest.key)!) {
    if (other === id || !kept.has(other)) continue;
    if (!blocks.every((block) => holders.get(block.key)!.has(other))) continue;
    const theirs = texts.get(other)!;
    if (chars(theirs.blocks.filter((block) => keys.has(block.key))) / theirs.size >= COPY_SHARE) return other;
  }
  return undefined;
}
