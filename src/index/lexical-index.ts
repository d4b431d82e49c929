// BM25 over passages, keyed by passage label, in typed arrays.
//
// It scores exactly as MiniSearch 7 did here before (BM25+ with k = 1.2, b = 0.7, d = 0.5; field
// boosts; a document's score multiplied by the number of distinct query terms it matched; prefix and
// fuzzy weights), so rankings and score scales are unchanged: tests/index-lexical.test.ts checks it
// against MiniSearch. What changes is the representation. MiniSearch keeps a radix tree of Maps and
// serialises it as JSON; rebuilding that tree dominated opening and re-indexing. Here the postings
// are flat arrays (one run per term and field) written and read as one binary file, with no
// per-posting objects. bench/lexical.ts compares the two on the same passages: on 12k passages,
// load 175 ms -> 14 ms, save 216 ms -> 3 ms, 77 MB -> 5 MB resident, query p50 1.9 ms -> 0.14 ms.
//
// Changes since the last `compact` live in a small side table; `discard` only bumps the label's
// version, so postings of a discarded passage are skipped even when its label is reused at once.
// `compact` folds everything into fresh arrays; `serialize` compacts first.

import { processTerm, tokenize } from './tokenize.js';

/** What BM25 sees of one passage. */
export interface LexicalEntry {
  label: number;
  text: string;
  title: string;
  /** The heading path joined into one string. */
  headings: string;
}

/**
 * Field weights relative to the passage text. Title ×1 or ×3 and headings ×1 or ×2.5 each lowered
 * a dev or regression set (docs/retrieval-own-words.md, section 16).
 */
export const TITLE_BOOST = 2;
export const HEADINGS_BOOST = 1.5;

/** Prefix and fuzzy matching: off by default because they trade precision for recall. */
export interface LexicalSearchOptions {
  prefix?: boolean;
  fuzzy?: number | false;
}

const FIELDS = ['text', 'title', 'headings'] as const;
const F = FIELDS.length;
const BOOSTS = [1, TITLE_BOOST, HEADINGS_BOOST];
/**
 * BM25+ parameters (MiniSearch's defaults). Of b 0.5–1 and k 0.9–1.6, each lowered a dev or
 * regression set but b 0.8, which raised Debian Reference dev and moved no test split
 * (docs/retrieval-own-words.md, section 16).
 */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** Weights of prefix and fuzzy matches, and the fuzzy distance cap (MiniSearch's defaults). */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;

const MAGIC = 0x584c5241; // "ARLX", little-endian
const VERSION = 1;
const HEADER_WORDS = 8;
const MAX_FREQ = 0xffff;

/** Growable label-indexed arrays. */
function grow<T extends Uint8Array | Uint32Array>(array: T, size: number, make: (n: number) => T): T {
  if (array.length >= size) return array;
  const next = make(Math.max(size, array.length * 2, 64));
  next.set(array);
  return next;
}

export class LexicalIndex {
  /** Term strings by id, and ids by term. */
  private terms: string[];
  private termIds: Map<string, number>;
  /** Compacted postings: run of (term t, field f) is [offsets[t*F+f], offsets[t*F+f+1]) in docs/freqs. */
  private offsets: Uint32Array;
  private docs: Uint32Array;
  private freqs: Uint16Array;
  /** Postings added since the last compaction, by t*F+f: flat [label, freq, version, ...]. */
  private pending = new Map<number, number[]>();
  /** Per label: 1 when live. */
  private live: Uint8Array;
  /** Per label: bumped by each discard; compacted postings belong to version 0. */
  private versions: Uint32Array;
  /** Per label and field (label*F+f): distinct raw tokens, as MiniSearch counts field length. */
  private lengths: Uint32Array;
  private totals = new Float64Array(F);
  private count = 0;
  private dirty = false;
  /** Scratch space for search, sized to the label space. */
  private scores = new Float64Array(0);
  /** Distinct query terms matched, and which (bit i: the i-th distinct term). */
  private matched = new Uint16Array(0);
  private masks = new Uint32Array(0);
  /** Labels a search has scored, in first-matched order (a reused array: searches allocate little). */
  private touched = new Uint32Array(0);

  private constructor(parts: { terms: string[]; offsets: Uint32Array; docs: Uint32Array; freqs: Uint16Array; live: Uint8Array; lengths: Uint32Array }) {
    this.terms = parts.terms;
    this.termIds = new Map(parts.terms.map((term, id) => [term, id]));
    this.offsets = parts.offsets;
    this.docs = parts.docs;
    this.freqs = parts.freqs;
    this.live = parts.live;
    this.versions = new Uint32Array(parts.live.length);
    this.lengths = parts.lengths;
    for (let label = 0; label < parts.live.length; label++) {
      if (!parts.live[label]) continue;
      this.count++;
      for (let f = 0; f < F; f++) this.totals[f] = this.totals[f]! + parts.lengths[label * F + f]!;
    }
  }

  static create(): LexicalIndex {
    return new LexicalIndex({ terms: [], offsets: new Uint32Array(1), docs: new Uint32Array(0), freqs: new Uint16Array(0), live: new Uint8Array(0), lengths: new Uint32Array(0) });
  }

  /** Passages in the index. */
  get size(): number {
    return this.count;
  }

  add(entries: LexicalEntry[]): void {
    for (const entry of entries) {
      const { label } = entry;
      if (!Number.isInteger(label) || label < 0) throw new Error(`lexical index: bad label ${label}`);
      if (label < this.live.length && this.live[label]) throw new Error(`lexical index: label ${label} is already indexed`);
      this.reserve(label + 1);
      this.live[label] = 1;
      this.count++;
      const version = this.versions[label]!;
      for (let f = 0; f < F; f++) {
        const tokens = tokenize(entry[FIELDS[f]!]);
        const length = new Set(tokens).size;
        this.lengths[label * F + f] = length;
        this.totals[f] = this.totals[f]! + length;
        const freqs = new Map<string, number>();
        for (const token of tokens) {
          const processed = processTerm(token);
          if (processed === null) continue;
          for (const term of typeof processed === 'string' ? [processed] : processed) freqs.set(term, (freqs.get(term) ?? 0) + 1);
        }
        for (const [term, freq] of freqs) {
          const key = this.termId(term) * F + f;
          const run = this.pending.get(key);
          if (run) run.push(label, freq, version);
          else this.pending.set(key, [label, freq, version]);
        }
      }
      this.dirty = true;
    }
  }

  /** Forgets passages at once; their postings stay behind until `compact` (searches skip them). */
  discard(labels: Iterable<number>): void {
    for (const label of labels) {
      if (!(label < this.live.length && this.live[label])) throw new Error(`lexical index: cannot discard label ${label}: it is not indexed`);
      this.live[label] = 0;
      this.versions[label]!++;
      this.count--;
      for (let f = 0; f < F; f++) this.totals[f] = this.totals[f]! - this.lengths[label * F + f]!;
      this.dirty = true;
    }
  }

  /** Folds added and discarded passages into fresh arrays, dropping terms nothing uses any more. */
  async compact(): Promise<void> {
    if (!this.dirty) return;
    const { live, versions, offsets, docs, freqs, pending } = this;
    const termCount = this.terms.length;
    // Postings per term×field: live compacted ones, then live pending ones (labels reused since are skipped by version).
    const counts = new Uint32Array(termCount * F);
    let total = 0;
    for (let key = 0; key < termCount * F; key++) {
      let n = 0;
      if (key + 1 < offsets.length) {
        for (let i = offsets[key]!, end = offsets[key + 1]!; i < end; i++) {
          const label = docs[i]!;
          if (live[label] && versions[label] === 0) n++;
        }
      }
      const run = pending.get(key);
      if (run) for (let i = 0; i < run.length; i += 3) if (live[run[i]!] && versions[run[i]!] === run[i + 2]) n++;
      counts[key] = n;
      total += n;
    }
    const terms: string[] = [];
    const nextOffsets: number[] = [0];
    const nextDocs = new Uint32Array(total);
    const nextFreqs = new Uint16Array(total);
    let at = 0;
    for (let t = 0; t < termCount; t++) {
      let termTotal = 0;
      for (let f = 0; f < F; f++) termTotal += counts[t * F + f]!;
      if (termTotal === 0) continue;
      terms.push(this.terms[t]!);
      for (let f = 0; f < F; f++) {
        const key = t * F + f;
        if (key + 1 < offsets.length) {
          for (let i = offsets[key]!, end = offsets[key + 1]!; i < end; i++) {
            const label = docs[i]!;
            if (!(live[label] && versions[label] === 0)) continue;
            nextDocs[at] = label;
            nextFreqs[at++] = freqs[i]!;
          }
        }
        const run = pending.get(key);
        if (run) {
          for (let i = 0; i < run.length; i += 3) {
            const label = run[i]!;
            if (!(live[label] && versions[label] === run[i + 2])) continue;
            nextDocs[at] = label;
            nextFreqs[at++] = Math.min(run[i + 1]!, MAX_FREQ);
          }
        }
        nextOffsets.push(at);
      }
    }
    this.terms = terms;
    this.termIds = new Map(terms.map((term, id) => [term, id]));
    this.lengthIndex = null;
    this.offsets = Uint32Array.from(nextOffsets);
    this.docs = nextDocs;
    this.freqs = nextFreqs;
    this.pending.clear();
    this.versions.fill(0);
    this.dirty = false;
  }

  search(query: string, k: number, options: LexicalSearchOptions = {}): Array<{ label: number; score: number }> {
    const queryTerms = tokenize(query).flatMap((term) => {
      const processed = processTerm(term);
      return processed === null ? [] : typeof processed === 'string' ? [processed] : processed;
    });
    if (queryTerms.length === 0 || this.count === 0 || k <= 0) return [];
    this.prepareScratch();
    const { scores, matched, masks, touched } = this;
    let touchedCount = 0;
    /** Label×source pairs past the 32 a mask holds (very long questions only). */
    const overflow = new Set<string>();
    const sources = new Map<string, number>();
    const avg = Array.from(this.totals, (total) => total / this.count);

    for (const source of queryTerms) {
      let sourceId = sources.get(source);
      if (sourceId === undefined) sources.set(source, (sourceId = sources.size));
      const bit = sourceId < 32 ? 1 << sourceId : 0;
      const score = (t: number, weight: number) => {
        for (let f = 0; f < F; f++) {
          const key = t * F + f;
          const lengthScale = (BM25.k * BM25.b) / avg[f]!;
          const lengthBase = BM25.k * (1 - BM25.b);
          const lengths = this.lengths;
          let boost = 0;
          const add = (label: number, freq: number) => {
            if (matched[label] === 0) touched[touchedCount++] = label;
            const norm = lengthBase + lengthScale * lengths[label * F + f]!;
            scores[label] = scores[label]! + boost * (BM25.d + (freq * (BM25.k + 1)) / (freq + norm));
            // A passage counts each distinct query term once, however many fields or expansions it matched in.
            if (bit !== 0) {
              if ((masks[label]! & bit) === 0) {
                masks[label] = masks[label]! | bit;
                matched[label]!++;
              }
            } else if (!overflow.has(`${label}:${sourceId}`)) {
              overflow.add(`${label}:${sourceId}`);
              matched[label]!++;
            }
          };
          /** weight × field boost × idf, from the number of passages the term×field occurs in. */
          const boostFor = (df: number) => weight * BOOSTS[f]! * Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
          if (this.dirty) {
            // Discarded or pending postings: count the live ones first, for the document frequency.
            let df = 0;
            this.forEachPosting(key, () => df++);
            if (df === 0) continue;
            boost = boostFor(df);
            this.forEachPosting(key, add);
          } else if (key + 1 < this.offsets.length) {
            // Compacted (as after loading or saving): every posting is live. The hot loop of a search,
            // written out rather than calling \`add\` per posting: the call costs about 12% of a search
            // (p50 0.37 -> 0.42 ms over the Python-docs dev questions).
            const start = this.offsets[key]!;
            const end = this.offsets[key + 1]!;
            if (end === start) continue;
            boost = boostFor(end - start);
            const { docs, freqs } = this;
            for (let i = start; i < end; i++) {
              const label = docs[i]!;
              const freq = freqs[i]!;
              if (matched[label] === 0) touched[touchedCount++] = label;
              const norm = lengthBase + lengthScale * lengths[label * F + f]!;
              scores[label] = scores[label]! + boost * (BM25.d + (freq * (BM25.k + 1)) / (freq + norm));
              if (bit !== 0) {
                if ((masks[label]! & bit) === 0) {
                  masks[label] = masks[label]! | bit;
                  matched[label]!++;
                }
              } else if (!overflow.has(`${label}:${sourceId}`)) {
                overflow.add(`${label}:${sourceId}`);
                matched[label]!++;
              }
            }
          }
        }
      };
      const exact = this.termIds.get(source);
      if (exact !== undefined) score(exact, 1);
      for (const [t, weight] of this.expansions(source, options)) score(t, weight);
    }

    // Score × distinct query terms matched, best first; ties keep the order passages were first matched.
    const scored = touched.subarray(0, touchedCount);
    const best = topK(scored, (label) => scores[label]! * matched[label]!, k);
    for (const label of scored) {
      scores[label] = 0;
      matched[label] = 0;
      masks[label] = 0;
    }
    return best;
  }

  /**
   * Whether `search(query, 1, options)` would find anything, without scoring a single passage: a
   * cheap vocabulary check (is this word, or a near spelling of it, anywhere in the corpus?).
   */
  has(query: string, options: LexicalSearchOptions = {}): boolean {
    if (this.count === 0) return false;
    for (const term of tokenize(query)) {
      const processed = processTerm(term);
      if (processed === null) continue;
      for (const source of typeof processed === 'string' ? [processed] : processed) {
        const exact = this.termIds.get(source);
        if (exact !== undefined && this.hasPostings(exact)) return true;
        if (this.expansions(source, options).some(([t]) => this.hasPostings(t))) return true;
      }
    }
    return false;
  }

  /**
   * Passages holding `term` (an indexed form, as `contentTerms` gives it) in any field, or null once
   * more than `limit` do. A term the corpus lacks is looked up by its near spellings under `fuzzy`
   * (a typo); a term it has is taken exactly, so "react" is not found in passages saying "reach".
   */
  passagesWith(term: string, limit: number, options: LexicalSearchOptions = {}): Set<number> | null {
    const found = new Set<number>();
    const exact = this.termIds.get(term);
    const ids = exact !== undefined && this.hasPostings(exact) ? [exact] : this.expansions(term, options).map(([t]) => t);
    for (const t of ids) {
      for (let f = 0; f < F; f++) this.forEachPosting(t * F + f, (label) => found.add(label));
      if (found.size > limit) return null;
    }
    return found;
  }

  private hasPostings(t: number): boolean {
    for (let f = 0; f < F; f++) {
      const key = t * F + f;
      if (!this.dirty) {
        if (key + 1 < this.offsets.length && this.offsets[key + 1]! > this.offsets[key]!) return true;
        continue;
      }
      let found = false;
      this.forEachPosting(key, () => (found = true));
      if (found) return true;
    }
    return false;
  }

  /** The binary form read back by `deserialize` (compacts first). */
  async serialize(): Promise<Uint8Array> {
    await this.compact();
    const labels = this.live.length;
    const termBytes = Buffer.from(this.terms.join('\n'), 'utf8');
    const pad4 = (n: number) => (n + 3) & ~3;
    const sections = [
      HEADER_WORDS * 4,
      pad4(labels), // live
      labels * F * 4, // lengths
      this.offsets.byteLength,
      this.docs.byteLength,
      pad4(this.freqs.byteLength),
      termBytes.byteLength,
    ];
    const out = new Uint8Array(sections.reduce((a, b) => a + b, 0));
    const header = new Uint32Array(out.buffer, 0, HEADER_WORDS);
    header.set([MAGIC, VERSION, F, labels, this.terms.length, this.docs.length, termBytes.byteLength, 0]);
    let at = sections[0]!;
    out.set(this.live.subarray(0, labels), at);
    at += sections[1]!;
    out.set(new Uint8Array(this.lengths.buffer, this.lengths.byteOffset, labels * F * 4), at);
    at += sections[2]!;
    out.set(new Uint8Array(this.offsets.buffer, this.offsets.byteOffset, this.offsets.byteLength), at);
    at += sections[3]!;
    out.set(new Uint8Array(this.docs.buffer, this.docs.byteOffset, this.docs.byteLength), at);
    at += sections[4]!;
    out.set(new Uint8Array(this.freqs.buffer, this.freqs.byteOffset, this.freqs.byteLength), at);
    at += sections[5]!;
    out.set(termBytes, at);
    return out;
  }

  /** Reads what `serialize` wrote; throws on anything malformed. */
  static deserialize(bytes: Uint8Array): LexicalIndex {
    // Typed-array views need 4-byte alignment; copy the (rare) unaligned buffer.
    const data = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    if (data.byteLength < HEADER_WORDS * 4) throw new Error('too short to be a lexical index');
    const header = new Uint32Array(data.buffer, data.byteOffset, HEADER_WORDS);
    const [magic, version, fields, labels, termCount, postings, termBytes] = header as unknown as number[];
    if (magic !== MAGIC) throw new Error('not a lexical index (bad magic number)');
    if (version !== VERSION || fields !== F) throw new Error(`lexical index version ${version} with ${fields} fields; expected version ${VERSION} with ${F}`);
    const pad4 = (n: number) => (n + 3) & ~3;
    const sizes = [HEADER_WORDS * 4, pad4(labels!), labels! * F * 4, (termCount! * F + 1) * 4, postings! * 4, pad4(postings! * 2), termBytes!];
    if (sizes.reduce((a, b) => a + b, 0) !== data.byteLength) throw new Error(`size ${data.byteLength} does not match its header`);
    let at = data.byteOffset + sizes[0]!;
    const view = <T>(make: (buffer: ArrayBufferLike, offset: number) => T, size: number): T => {
      const out = make(data.buffer, at);
      at += size;
      return out;
    };
    // Copies, not views: the label arrays grow in place, and the file buffer can then be freed.
    const live = view((b, o) => new Uint8Array(b, o, labels!).slice(), sizes[1]!);
    const lengths = view((b, o) => new Uint32Array(b, o, labels! * F).slice(), sizes[2]!);
    const offsets = view((b, o) => new Uint32Array(b, o, termCount! * F + 1), sizes[3]!);
    const docs = view((b, o) => new Uint32Array(b, o, postings!), sizes[4]!);
    const freqs = view((b, o) => new Uint16Array(b, o, postings!), sizes[5]!);
    const terms = termCount === 0 ? [] : Buffer.from(data.buffer, at, termBytes!).toString('utf8').split('\n');
    if (terms.length !== termCount || offsets[0] !== 0 || offsets[termCount! * F] !== postings) throw new Error('term table does not match its header');
    for (let key = 0; key < termCount! * F; key++) if (offsets[key]! > offsets[key + 1]!) throw new Error('posting offsets are out of order');
    for (let i = 0; i < postings!; i++) if (docs[i]! >= labels! || !live[docs[i]!]) throw new Error('a posting names a passage that is not indexed');
    return new LexicalIndex({ terms, offsets, docs, freqs, live, lengths });
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
      this.lengthIndex = null;
    }
    return id;
  }

  private reserve(labels: number): void {
    if (labels <= this.live.length) return;
    const size = Math.max(labels, this.live.length * 2, 64);
    this.live = grow(this.live, size, (n) => new Uint8Array(n));
    this.versions = grow(this.versions, size, (n) => new Uint32Array(n));
    this.lengths = grow(this.lengths, size * F, (n) => new Uint32Array(n));
  }

  private prepareScratch(): void {
    const n = this.live.length;
    if (this.scores.length >= n) return;
    this.scores = new Float64Array(n);
    this.matched = new Uint16Array(n);
    this.masks = new Uint32Array(n);
    this.touched = new Uint32Array(n);
  }

  /** Calls `fn` for each live posting of term×field `key`: compacted ones first, then pending ones. */
  private forEachPosting(key: number, fn: (label: number, freq: number) => void): void {
    const { live, versions } = this;
    if (key + 1 < this.offsets.length) {
      for (let i = this.offsets[key]!, end = this.offsets[key + 1]!; i < end; i++) {
        const label = this.docs[i]!;
        if (live[label] && versions[label] === 0) fn(label, this.freqs[i]!);
      }
    }
    const run = this.pending.get(key);
    if (!run) return;
    for (let i = 0; i < run.length; i += 3) {
      const label = run[i]!;
      if (live[label] && versions[label] === run[i + 2]) fn(label, Math.min(run[i + 1]!, MAX_FREQ));
    }
  }

  /** Terms a query term reaches by prefix or fuzzy match, with MiniSearch's weights (the exact term excluded). */
  private expansions(source: string, options: LexicalSearchOptions): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    if (!options.prefix && !options.fuzzy) return out;
    const prefixed = new Set<number>();
    if (options.prefix) {
      for (let t = 0; t < this.terms.length; t++) {
        const term = this.terms[t]!;
        if (term.length <= source.length || !term.startsWith(source)) continue;
        prefixed.add(t);
        out.push([t, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * (term.length - source.length))]);
      }
    }
    const fuzzy = options.fuzzy || 0;
    const maxDistance = fuzzy > 0 ? (fuzzy < 1 ? Math.min(MAX_FUZZY, Math.round(source.length * fuzzy)) : fuzzy) : 0;
    if (maxDistance === 0) return out;
    // Only terms whose length is within the distance can be within it.
    const byLength = this.termsByLength();
    for (let length = Math.max(1, source.length - maxDistance); length <= source.length + maxDistance; length++) {
      for (const t of byLength.get(length) ?? []) {
        if (prefixed.has(t)) continue;
        const term = this.terms[t]!;
        const distance = maxDistance === 1 ? (term === source ? 0 : oneEditApart(source, term) ? 1 : 2) : boundedLevenshtein(source, term, maxDistance);
        if (distance > 0 && distance <= maxDistance) out.push([t, (FUZZY_WEIGHT * term.length) / (term.length + distance)]);
      }
    }
    return out;
  }

  /** Term ids by term length, for fuzzy matching; rebuilt after the term table changes. */
  private lengthIndex: Map<number, number[]> | null = null;
  private termsByLength(): Map<number, number[]> {
    if (this.lengthIndex) return this.lengthIndex;
    const index = new Map<number, number[]>();
    this.terms.forEach((term, t) => {
      const bucket = index.get(term.length);
      if (bucket) bucket.push(t);
      else index.set(term.length, [t]);
    });
    return (this.lengthIndex = index);
  }
}

/** Whether two different strings are one insertion, deletion or substitution apart. */
function oneEditApart(a: string, b: string): boolean {
  if (a.length > b.length) [a, b] = [b, a];
  if (b.length - a.length > 1) return false;
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Same length: skip one character in both; one longer: skip it in the longer one.
  const skipA = a.length === b.length ? 1 : 0;
  for (let j = i + skipA, k = i + 1; k < b.length; j++, k++) if (a.charCodeAt(j) !== b.charCodeAt(k)) return false;
  return true;
}

/** Levenshtein distance, or `max + 1` as soon as it must exceed `max`. */
function boundedLevenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The k best of `items` by `score`, best first; among equal scores, earlier items first. A sorted
 * window of k, so a query matching thousands of passages costs no full sort and no object per match.
 */
function topK(items: Iterable<number>, score: (item: number) => number, k: number): Array<{ label: number; score: number }> {
  const labels: number[] = [];
  const scores: number[] = [];
  for (const item of items) {
    const value = score(item);
    if (labels.length === k && value <= scores[k - 1]!) continue;
    let at = labels.length === k ? k - 1 : labels.length;
    while (at > 0 && scores[at - 1]! < value) {
      if (at < k) {
        scores[at] = scores[at - 1]!;
        labels[at] = labels[at - 1]!;
      }
      at--;
    }
    scores[at] = value;
    labels[at] = item;
  }
  return labels.map((label, i) => ({ label, score: scores[i]! }));
}
