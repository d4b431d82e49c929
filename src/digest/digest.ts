// The digest as data: built once by build.ts, then rendered for Discord or the terminal.
import type { DigestNearest } from './sources.js';

/** A verbatim sentence or list item from a document, with the ref of the passage it is in. */
export interface DigestPoint {
  text: string;
  ref: string;
}

export interface DigestDocumentEntry {
  id: string;
  title: string;
  source: string | null;
  date: string | null;
  url: string | null;
  change: 'new' | 'changed';
  /** The document's own "Key Takeaways" list, or else its sentences closest to the document as a whole. */
  pointsFrom: 'key-takeaways' | 'central-sentences';
  points: DigestPoint[];
}

export interface AskedQuestion {
  /** The most common wording among the near-duplicates asked. */
  question: string;
  /** How many times it was asked, near-duplicates included. */
  count: number;
  quote: { text: string; ref: string; title: string };
}

export interface NotFoundQuestion {
  question: string;
  count: number;
  /** Times it got no confident answer. */
  unanswered: number;
  /** 👎 votes on its answers. */
  downvotes: number;
  /** Where the library came closest, asked afresh, when it declines the question and names a section. */
  nearest?: DigestNearest;
}

export interface Digest {
  /** ISO instants; the period is [since, until). */
  period: { since: string; until: string };
  /** IANA zone the dates are shown in. */
  timezone: string;
  /** Set when the digest is a catch-up posted after its scheduled time. */
  lateFor: string | null;
  /** Newest first. */
  library: DigestDocumentEntry[];
  /** Documents new or changed in the period beyond those listed (a first index can add thousands). */
  libraryNotListed: number;
  mostAsked: AskedQuestion[];
  notFound: NotFoundQuestion[];
  figures: { questions: number; answered: number; documents: number; passages: number };
}

/** Nothing happened in the period: no document came or changed and nobody asked anything. */
export function isEmptyDigest(digest: Digest): boolean {
  return digest.library.length === 0 && digest.libraryNotListed === 0 && digest.figures.questions === 0;
}
