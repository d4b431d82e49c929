import type { LibraryApi } from '../library-api.js';

/** What the digest needs of an indexed document (its current version). */
export interface DigestDocument {
  id: string;
  title: string;
  source: string | null;
  /** ISO date (YYYY-MM-DD) where known. */
  date: string | null;
  url: string | null;
  text: string;
  /** Offsets into `text` of the document's "Key Takeaways" items; empty when it has none. */
  keyPoints: Array<{ start: number; end: number }>;
  /** The document's passages in order: a point is cited by the ref of the passage it starts in. */
  passages: Array<{ ref: string; start: number; end: number }>;
  /** Offsets into `text` of its code blocks: a line of code is not a point. */
  code: Array<{ start: number; end: number }>;
}

/** A quote that answers a question, as the digest shows it. */
export interface DigestQuote {
  text: string;
  ref: string;
  title: string;
}

/** The section a declined question came closest to (see `Answer.nearest`), cited and not quoted. */
export interface DigestNearest {
  /** The document's title and the section's headings: "Debian Reference › Network setup". */
  where: string;
  ref: string;
}

/** Everything the digest reads from the library. */
export interface DigestSources {
  /** The document as currently indexed; null when it is no longer in the index. */
  document(id: string): DigestDocument | null;
  /** Unit vectors for short texts (sentences, questions), all embedded alike so that dot products compare them. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** The best confident quote for a question, or null when the library cannot answer it. */
  bestQuote(question: string): Promise<DigestQuote | null>;
  /** The nearest section the library names for a question it declines, asked afresh; null when it answers now or names none. */
  nearest(question: string): Promise<DigestNearest | null>;
  counts(): { documents: number; passages: number };
  /** The documents of the index in use, and when it was built: what "new and changed" is measured against. */
  indexed(): { at: Date; documents: ReadonlyArray<{ id: string; hash: string }> };
}

/** What the digest reads of the library: its public API only. */
export type DigestLibrary = Pick<LibraryApi, 'ask' | 'status' | 'indexedDocument' | 'indexedDocuments' | 'embedTexts'>;

/** DigestSources over the library; `library` is called at each use because /reindex swaps the index. */
export function librarySources(library: () => DigestLibrary): DigestSources {
  return {
    document(id) {
      const indexed = library().indexedDocument(id);
      if (!indexed) return null;
      const { document: doc, passages } = indexed;
      const { title, text } = doc;
      const code = doc.blocks.filter((block) => block.kind === 'code').map(({ start, end }) => ({ start, end }));
      return { id, title, text, source: doc.source ?? null, date: doc.date ?? null, url: doc.url ?? null, keyPoints: doc.keyPoints ?? [], passages, code };
    },
    embed: (texts) => library().embedTexts(texts),
    async bestQuote(question) {
      const answer = await library().ask(question, { k: 1 });
      const hit = answer.answered ? answer.results[0] : undefined;
      return hit ? { text: hit.quote, ref: hit.citation.ref, title: hit.citation.title } : null;
    },
    async nearest(question) {
      const answer = await library().ask(question);
      const citation = answer.answered ? undefined : answer.nearest?.[0];
      return citation ? { where: [citation.title, ...citation.headingPath].join(' › '), ref: citation.ref } : null;
    },
    counts() {
      const { documents, passages } = library().status();
      return { documents, passages };
    },
    indexed() {
      const current = library();
      return { at: current.status().indexedAt, documents: current.indexedDocuments() };
    },
  };
}
