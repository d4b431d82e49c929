import type { DocumentSummary, LibraryApi, LibraryStatus, ReindexReport, SourceView } from '../../src/library-api.js';
import type { Answer, SearchHit } from '../../src/types.js';

/**
 * A small in-memory LibraryApi for runtime tests that need behaviour the real library does not show on
 * demand: a slow answer, a failure, a slow re-index. Questions containing "slow" take `slowMs`,
 * "boom" throws, "nothing" is not answered.
 */
export class FakeLibrary implements LibraryApi {
  readonly asked: string[] = [];
  reindexCalls = 0;
  closed = false;
  slowMs = 4000;
  reindexMs = 600;
  private readonly passages = new Map<string, { docId: string; text: string }>();
  private readonly docs: DocumentSummary[] = [];

  constructor(documents = 23) {
    for (let d = 0; d < documents; d++) {
      const id = `team/doc-${String(d).padStart(2, '0')}`;
      for (let p = 1; p <= 3; p++) {
        this.passages.set(`${id}:${p}`, { docId: id, text: `Passage ${p} of document ${d}. Deploys are rolled back with the rollback job.` });
      }
      this.docs.push({ id, title: `Document ${d}`, source: 'Fake', date: '2024-01-01', url: null, path: `${id}.md`, passages: 3, firstRef: `${id}:1` });
    }
  }

  private hit(ref: string, score: number): SearchHit {
    const passage = this.passages.get(ref)!;
    const quote = 'Deploys are rolled back with the rollback job.';
    const at = passage.text.indexOf(quote);
    return {
      quote,
      quoteStart: at,
      quoteEnd: at + quote.length,
      passage: passage.text,
      score,
      citation: { ref, title: 'Document', source: 'Fake', date: '2024-01-01', path: `${passage.docId}.md`, url: null, paragraph: 1, headingPath: [] },
    };
  }

  async ask(question: string, options: { k?: number } = {}): Promise<Answer> {
    this.asked.push(question);
    if (question.includes('boom')) throw new Error('the search engine exploded');
    if (question.includes('slow')) await new Promise((resolve) => setTimeout(resolve, this.slowMs));
    if (question.includes('nothing')) return { question, answered: false, results: [], ms: 1 };
    const refs = [...this.passages.keys()].slice(0, options.k ?? 3);
    return { question, answered: true, results: refs.map((ref, i) => this.hit(ref, 0.9 - i / 10)), ms: 3 };
  }

  source(ref: string): SourceView | null {
    const passage = this.passages.get(ref);
    if (!passage) return null;
    const [docId, n] = [ref.slice(0, ref.lastIndexOf(':')), Number(ref.slice(ref.lastIndexOf(':') + 1))];
    const around = (i: number) => {
      const other = this.passages.get(`${docId}:${i}`);
      return other ? { ref: `${docId}:${i}`, text: other.text } : null;
    };
    const doc = this.docs.find((d) => d.id === docId)!;
    return {
      ref,
      passage: passage.text,
      previous: around(n - 1),
      next: around(n + 1),
      citation: this.hit(ref, 1).citation,
      document: { id: doc.id, title: doc.title, source: doc.source, date: doc.date, url: doc.url, path: doc.path, passages: doc.passages, firstRef: `${doc.id}:1` },
    };
  }

  documents(): DocumentSummary[] {
    return this.docs;
  }

  suggestRefs(prefix: string, limit: number): Array<{ ref: string; label: string }> {
    return [...this.passages.keys()].filter((ref) => ref.includes(prefix)).slice(0, limit).map((ref) => ({ ref, label: `${ref} — passage` }));
  }

  indexedDocument(): null {
    return null;
  }

  indexedDocuments(): Array<{ id: string; hash: string }> {
    return this.docs.map(({ id }) => ({ id, hash: id }));
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    return texts.map(() => new Float32Array(8).fill(Math.SQRT1_2 / 2));
  }

  status(): LibraryStatus {
    return { documents: this.docs.length, passages: this.passages.size, embedder: 'fake', dims: 8, indexedAt: new Date(Date.now() - 3_600_000) };
  }

  async reindex(): Promise<ReindexReport> {
    this.reindexCalls += 1;
    await new Promise((resolve) => setTimeout(resolve, this.reindexMs));
    return { added: 1, changed: 0, removed: 0, unchanged: this.docs.length, passagesEmbedded: 3, ms: this.reindexMs };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
