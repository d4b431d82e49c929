// Editions in another format: a handbook kept as HTML or Markdown pages and as its PDF export. The
// PDF's paragraphs do not line up with the pages' (a PDF block is a page of print), so repeats.ts,
// which compares paragraphs, cannot see it; its passages would crowd the pages' out of the answers.
// Here documents are compared on their words instead: runs of eight words, with case, punctuation
// and whitespace folded, of which a fixed eighth (chosen by hash, so the same run is chosen in
// every document) stands for the text.
import path from 'node:path';
import type { Document } from '../types.js';

/** Words per compared run: long enough that a run found elsewhere was copied, not said alike. */
const RUN_WORDS = 8;
/** One run in this many is kept (those whose hash is a multiple of it): the cost stays a scan of the text. */
const SAMPLE = 8;
/** Fewer sampled runs (about 200 words) is too little text to call it a copy of anything. */
const MIN_RUNS = 25;
/**
 * An edition has this share of its sampled runs in smaller documents of other formats. The Debian
 * Reference PDF has 90% in its HTML chapters: the rest is its contents pages, table captions and
 * running heads, which sit elsewhere in the pages' text.
 */
const COVERED_SHARE = 0.8;

export interface Edition {
  id: string;
  /** The documents holding its text, in path order. */
  of: string[];
}

/**
 * Documents whose text is (nearly) all in smaller documents of other file types: judged largest
 * first, against the documents smaller than each, so that the whole-book export goes and the pages
 * it was made from stay (and of a page and its export of about one size, the larger goes, keeping
 * one). Only other formats count: within one format paragraphs line up, and repeats.ts judges
 * those precisely (two pages that differ in one sentence are two pages there). `skip` are
 * documents already left out; they hold nothing for the others.
 */
export function findEditions(documents: readonly Document[], skip: ReadonlySet<string>): Edition[] {
  const kept = documents.filter((doc) => !skip.has(doc.id));
  const extensions = kept.map((doc) => path.posix.extname(doc.path).toLowerCase());
  const formatNames = [...new Set(extensions)];
  if (formatNames.length < 2) return [];
  const runs = kept.map((doc) => sampledRuns(doc.text));
  const formats = extensions.map((ext) => formatNames.indexOf(ext));
  // How many documents not judged yet hold each run, by format: run slot * formats + format.
  const slots = new Map<number, number>();
  for (const set of runs) for (const run of set) if (!slots.has(run)) slots.set(run, slots.size);
  const holders = new Int32Array(slots.size * formatNames.length);
  const add = (i: number, step: 1 | -1) => {
    for (const run of runs[i]!) holders[slots.get(run)! * formatNames.length + formats[i]!]! += step;
  };
  kept.forEach((_, i) => add(i, 1));
  const elsewhere = (i: number, run: number) => {
    const base = slots.get(run)! * formatNames.length;
    for (let f = 0; f < formatNames.length; f++) if (f !== formats[i] && holders[base + f]! > 0) return true;
    return false;
  };

  const order = kept.map((_, i) => i).filter((i) => runs[i]!.size >= MIN_RUNS);
  order.sort((a, b) => runs[b]!.size - runs[a]!.size || (kept[a]!.path < kept[b]!.path ? -1 : 1));
  const editions: Edition[] = [];
  const judged = new Set<number>();
  for (const i of order) {
    // Only smaller documents count (those not judged yet): a page is no edition of the book.
    add(i, -1);
    judged.add(i);
    let covered = 0;
    for (const run of runs[i]!) if (elsewhere(i, run)) covered++;
    if (covered / runs[i]!.size < COVERED_SHARE) continue;
    const of = kept.flatMap((doc, j) => {
      if (judged.has(j) || formats[j] === formats[i]) return [];
      for (const run of runs[j]!) if (runs[i]!.has(run)) return [doc.id];
      return [];
    });
    editions.push({ id: kept[i]!.id, of });
  }
  return editions;
}

/**
 * The sampled eight-word runs of a text. A word is a run of letters and digits (ASCII case
 * folded, soft hyphens ignored; numbers left out); everything else separates words, so
 * punctuation, whitespace and line breaks do not matter.
 */
export function sampledRuns(text: string): Set<number> {
  const runs = new Set<number>();
  const words = new Array<number>(RUN_WORDS).fill(0);
  let count = 0;
  let word = 0x811c9dc5;
  let inWord = false;
  let digitsOnly = true;
  const endWord = () => {
    const finished = word;
    const number = digitsOnly;
    word = 0x811c9dc5;
    inWord = false;
    digitsOnly = true;
    // Page and section numbers are where a PDF's contents and running heads differ from the pages.
    if (number) return;
    words[count % RUN_WORDS] = finished;
    count++;
    if (count < RUN_WORDS) return;
    let h = 0;
    for (let k = 0; k < RUN_WORDS; k++) h = Math.imul(h ^ words[(count + k) % RUN_WORDS]!, 0x01000193);
    h = mix(h);
    if (h % SAMPLE === 0) runs.add(h);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 0xad) continue;
    const letter = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c > 127 && isLetter(c));
    if (!letter) {
      if (inWord) endWord();
      continue;
    }
    if (c >= 65 && c <= 90) c += 32;
    if (c < 48 || c > 57) digitsOnly = false;
    word = Math.imul(word ^ c, 0x01000193);
    inWord = true;
  }
  if (inWord) endWord();
  return runs;
}

const LETTER = /[\p{L}\p{N}]/u;
const isLetter = (c: number) => LETTER.test(String.fromCharCode(c));

/** Spreads a hash's bits (murmur3's finaliser), so that "a multiple of SAMPLE" picks fairly; unsigned. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
