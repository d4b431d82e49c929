// The data that flows load -> split -> embed -> index -> search -> format.

/** One block of a document's text: a paragraph, a list item or a code block. */
export interface Block {
  /** Character offsets into Document.text (end exclusive). */
  start: number;
  end: number;
  kind: 'text' | 'code';
  /** Titles of the enclosing headings, outermost first (the document title is not included). */
  headingPath: string[];
  /** Anchor id of the innermost enclosing section (HTML `id`, or a slug of a Markdown heading). */
  anchor?: string;
  /** 1-based page the block is printed on, in a paged document (PDF). */
  page?: number;
}

/** A loaded document. `text` is exactly what the bot quotes from: every quote is a substring of it. */
export interface Document {
  /** Stable id: the path relative to the docs folder, POSIX separators, without extension. */
  id: string;
  /** Path relative to the docs folder (POSIX separators, with extension). */
  path: string;
  title: string;
  source?: string;
  /** ISO date (YYYY-MM-DD) where known. */
  date?: string;
  url?: string;
  text: string;
  /** Paragraph-level structure of `text`, in order, non-overlapping. */
  blocks: Block[];
  /** Points for a digest: verbatim sentences or list items (for example a "Key Takeaways" list). */
  keyPoints?: Array<{ start: number; end: number }>;
  /** sha256 of the raw file bytes plus loader version: decides whether a document is re-embedded. */
  hash: string;
  /** The documentation generator that wrote the page, where the HTML reader recognises it: its format rules (src/profiles) apply. */
  generator?: Generator;
}

/** Documentation generators the HTML reader recognises. */
export type Generator = 'sphinx' | 'rustdoc' | 'nodejs' | 'mdbook' | 'docbook';

/** A piece of a document sized for the embedder; never cuts a sentence. */
export interface Passage {
  /** Citation ref, `${docId}:${ordinal}`. */
  ref: string;
  docId: string;
  /** 1-based position of the passage in its document. */
  ordinal: number;
  /** Offsets into Document.text (end exclusive); text === doc.text.slice(start, end). */
  start: number;
  end: number;
  text: string;
  /** 1-based number of the document block (paragraph) the passage starts in. */
  paragraph: number;
  headingPath: string[];
  anchor?: string;
}

export interface Citation {
  ref: string;
  title: string;
  source: string | null;
  date: string | null;
  path: string;
  url: string | null;
  paragraph: number;
  /** 1-based page of the quoted block, in a paged document (PDF). */
  page?: number;
  headingPath: string[];
}

export interface SearchHit {
  /** Exact substring of the document text: the sentence(s) that answer best. */
  quote: string;
  /** Offsets of the quote in the document text. */
  quoteStart: number;
  quoteEnd: number;
  /** The passage the quote comes from. */
  passage: string;
  /**
   * Cosine similarity of the passage to the question (lexical mode: the fused score). Results are
   * ordered by the fused dense + BM25 + page score, so a later hit can show a higher similarity.
   */
  score: number;
  citation: Citation;
}

/** A name the question gives that no passage it matched mentions: why it was declined. */
export interface MissingName {
  /** As the question wrote it ("Heroku"). */
  name: string;
  /** Whether any passage of the library mentions it (or, for a word it lacks, a near spelling of it). */
  inLibrary: boolean;
}

export interface Answer {
  question: string;
  answered: boolean;
  results: SearchHit[];
  /** When declined: the names that the passages matching the question leave out ("in Java", "Heroku"). */
  missingNames?: MissingName[];
  /** When declined: the sections that came closest, cited but not quoted (see `nearestSections`); absent when none is offered. */
  nearest?: Citation[];
  ms: number;
}

/** Warnings and errors met while loading a corpus; loading never stops on one bad file. */
export interface LoadIssue {
  path: string;
  level: 'warning' | 'error';
  message: string;
  /** What a log line reporting many such files at once says, when `message` names more than this file. */
  group?: string;
}
