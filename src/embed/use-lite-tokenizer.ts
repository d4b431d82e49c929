/**
 * The SentencePiece-style tokenizer of Universal Sentence Encoder lite, ported from
 * tfjs-models (Copyright 2019 Google LLC, Apache-2.0) as shipped in `@energetic-ai/embeddings`.
 * Ported rather than imported so the bundled encoder does not load TF.js; it gives the same ids,
 * quirks included (see `encode`), and walks the trie in place instead of slicing the input.
 */

/** [piece, log-probability] per id, as in the package's `vocab.json`. */
export type Vocabulary = [string, number][];

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Set when a vocabulary piece ends here. */
  id?: number;
  /** The piece's length in symbols (code points). */
  symbols?: number;
}

/** Ids 0-5 are reserved (unknown, <s>, </s>, extra tokens); 0 stands for unknown symbols. */
const RESERVED = 6;
const SEPARATOR = '\u2581';

export class UseLiteTokenizer {
  private readonly root: TrieNode = { children: new Map() };

  constructor(private readonly vocabulary: Vocabulary) {
    for (let id = RESERVED; id < vocabulary.length; id++) {
      const piece = vocabulary[id]![0];
      let node = this.root;
      let symbols = 0;
      for (const symbol of piece) {
        let child = node.children.get(symbol);
        if (!child) node.children.set(symbol, (child = { children: new Map() }));
        node = child;
        symbols++;
      }
      node.id = id;
      node.symbols = symbols;
    }
  }

  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    const symbols = normalized.length > 0 ? [...(SEPARATOR + normalized.replace(/ /g, SEPARATOR))] : [];
    const n = symbols.length;
    // Viterbi over piece boundaries; a score of 0 means "no path yet" (real scores are negative).
    const best = new Float64Array(n + 1);
    const ids = new Int32Array(n + 1);
    // Candidates ending at each position, filled in increasing start order: the order the original
    // visits them (an object with integer keys), which decides ties.
    const ending: { start: number; id: number; score: number }[][] = Array.from({ length: n + 1 }, () => []);
    for (let start = 0; start < n; start++) {
      let node = this.root.children.get(symbols[start]!);
      let found = false;
      for (let end = start + 1; node; end++) {
        if (node.id !== undefined) {
          ending[end]!.push({ start, id: node.id, score: this.vocabulary[node.id]![1] });
          found = true;
        }
        node = end < n ? node.children.get(symbols[end]!) : undefined;
      }
      if (!found) ending[start + 1]!.push({ start, id: 0, score: 0 });
    }
    for (let end = 1; end <= n; end++) {
      for (const c of ending[end]!) {
        const score = c.score + best[c.start]!;
        if (best[end] === 0 || score >= best[end]!) {
          best[end] = score;
          ids[end] = c.id;
        }
      }
    }
    // Walk back from the end. The original steps back by the piece's UTF-16 length, not its
    // symbol count; kept for identical ids (they differ only for pieces outside the BMP).
    const reversed: number[] = [];
    for (let at = n; at > 0; ) {
      const id = ids[at]!;
      reversed.push(id);
      at -= this.vocabulary[id]![0].length;
    }
    // Runs of unknown symbols collapse into one unknown id.
    const out: number[] = [];
    for (let i = reversed.length - 1; i >= 0; i--) {
      const id = reversed[i]!;
      if (!(id === 0 && out.length > 0 && out[out.length - 1] === 0)) out.push(id);
    }
    return out;
  }
}
