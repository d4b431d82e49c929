import type { Embedder } from '../embed/embedder.js';
import { questionVector } from '../embed/question-vector.js';
import { profileFor } from '../profiles/registry.js';
import { passageUrl } from '../sources/url.js';
import type { Answer, Citation, Document, MissingName, Passage, SearchHit } from '../types.js';
import { SEARCH_DEFAULTS } from './defaults.js';
import { expandQuestion, holds, sharedLexicon, type Expanded, type Expander } from './expansion.js';
import { convexFusion, reciprocalRankFusion, type Scored } from './fuse.js';
import { codeNameScorer, codeNames } from './identifiers.js';
import { pickQuote, quoteUnits, sectionEntry } from './quote.js';
import { missingEverywhere, specificNames } from './names.js';
import { askedTerms, contentTerms, unknownSubjects } from './terms.js';

/** What search needs from a loaded index; the store's LoadedIndex is adapted to it. */
export interface SearchableIndex {
  dense(vector: Float32Array, k: number): Array<{ label: number; similarity: number }>;
  lexical(query: string, k: number): Array<{ label: number; score: number }>;
  passage(label: number): Passage | undefined;
  document(id: string): Document | undefined;
  /** The stored unit vector of a passage, to score hits that only the lexical retriever found. */
  vector(label: number): Float32Array | undefined;
  /** Whether the library contains a term at all (allowing one typo in longer words). */
  knows(term: string): boolean;
  /** BM25 over whole documents, best first. */
  pages(query: string, k: number): Array<{ docId: string; score: number }>;
  /** Passages mentioning a term (or, unless `exact`, a near spelling when the library lacks it), or null when more than `limit` do. */
  passagesWith(term: string, limit: number, exact?: boolean): Set<number> | null;
  /** Passages in the library. */
  passageCount(): number;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export type SearchMode = 'hybrid' | 'dense' | 'lexical';

export interface SearchOptions {
  k?: number;
  mode?: SearchMode;
  /** Candidates taken from each retriever before fusion. */
  candidates?: number;
  fusion?: Fusion;
  /**
   * Each further passage from a document already in the results has its score multiplied by this
   * (1 = no diversity): answers from several documents beat a page that matches everywhere.
   */
  sameDocumentDecay?: number;
  /** Weight of the whole-document BM25 score added to each passage's fused score (0 = off). */
  pageWeight?: number;
  /** Weight of the match on code names the question writes ("functools.lru_cache"), hybrid only (0 = off). */
  codeNameWeight?: number;
  /** Which expansions of the question to use ([] = none; see expansion.ts). */
  expanders?: readonly Expander[];
}

/** How dense and lexical candidates are merged; `denseWeight` in [0, 1]. */
export interface Fusion {
  method: 'convex' | 'rrf';
  denseWeight: number;
}

/**
 * When to answer. Dense similarity alone is a poor judge for short questions, so a hit also counts
 * as relevant when the best passage covers enough of the question's content terms. Calibrated on
 * the dev sets (see docs/retrieval.md, "Calibrating the no-answer threshold").
 */
export interface Relevance {
  /** Cosine similarity of the best dense hit above which the question is answered. */
  denseAccept: number;
  /** Below this similarity, term coverage cannot rescue the question. */
  denseFloor: number;
  /** Share of the question's content terms that the best passage must contain (with denseFloor). */
  coverage: number;
}

export const DEFAULT_RELEVANCE: Relevance = SEARCH_DEFAULTS.relevance;

export function citationFor(doc: Document, passage: Passage): Citation {
  const page = doc.blocks[passage.paragraph - 1]?.page;
  const citation: Citation = {
    ref: passage.ref,
    title: doc.title,
    source: doc.source ?? null,
    date: doc.date ?? null,
    path: doc.path,
    url: passageUrl(doc, { anchor: passage.anchor, page }),
    paragraph: passage.paragraph,
    headingPath: passage.headingPath,
  };
  if (page !== undefined) citation.page = page;
  return citation;
}

/**
 * The citation of a quote starting at `offset` in `passage`: the paragraph, heading path and section
 * link of the block the quote starts in, which in a passage of several API entries or sections is
 * not the passage's first ("heapq.heapreplace", not "heapq.heapify" where the passage begins).
 */
export function quoteCitation(doc: Document, passage: Passage, offset: number): Citation {
  const citation = citationFor(doc, passage);
  const paragraph = Math.max(passage.paragraph, paragraphAt(doc, offset));
  const block = doc.blocks[paragraph - 1];
  if (!block || paragraph === passage.paragraph) return citation;
  const anchor = block.anchor ?? passage.anchor;
  const quoted: Citation = { ...citation, paragraph, headingPath: block.headingPath, url: passageUrl(doc, { anchor, page: block.page }) };
  // A PDF's passage may run over a page break: the quote is cited on its own page.
  if (block.page !== undefined) quoted.page = block.page;
  return quoted;
}

/** 1-based number of the block (paragraph) holding `offset`: a quote cites its own paragraph, not its passage's first. */
export function paragraphAt(doc: Document, offset: number): number {
  let low = 0;
  let high = doc.blocks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (doc.blocks[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

function toHit(index: SearchableIndex, passage: Passage, score: number, ranked: Ranked): SearchHit | null {
  const doc = index.document(passage.docId);
  if (!doc) return null;
  const units = quoteUnits(doc, passage);
  // The section's entry matters only against code names; finding its summary segments the section.
  const context = { codeNames: ranked.codeNames, profile: profileFor(doc), ...(ranked.codeNames.length > 0 ? sectionEntry(doc, passage) : {}) };
  const span = units.length > 0 ? pickQuote(doc.text, units, ranked.terms, context) : { start: passage.start, end: passage.end };
  const citation = quoteCitation(doc, passage, span.start);
  return {
    quote: doc.text.slice(span.start, span.end),
    quoteStart: span.start,
    quoteEnd: span.end,
    passage: passage.text,
    score: Number(score.toFixed(4)),
    citation,
  };
}

/** The signals the no-answer decision rests on, exposed for calibration. */
export interface Signals {
  dense: number;
  coverage: number;
  /** Question terms the library never mentions, when they are a fifth of the question or more (see `unknownSubjects`). */
  unknown: string[];
  /** How many rare names the question gives (see `specificNames`). */
  names: number;
  /**
   * Names the question calls a module, package, function… or that are no English word, which no
   * passage mentions: the question is about a thing the library does not hold, whatever other
   * names it shares with it ("the kursktracker module … North Korean troops in Kursk").
   */
  absent?: string[];
}

export interface Ranked {
  /** Fused candidates, best first, at most k, with the share of the question's terms each holds. */
  top: Array<{
    label: number;
    score: number;
    similarity: number | null;
    coverage: number;
    /** Rare names the question gives that this passage does not mention (see `specificNames`). */
    missingNames: MissingName[];
  }>;
  signals: Signals;
  terms: string[];
  /** The code names the question writes (see `codeNames`). */
  codeNames: string[];
}

/** Retrieval without the answer/decline decision: what `search` and the evaluator share. */
export async function rank(
  index: SearchableIndex,
  embedder: Embedder,
  question: string,
  options: SearchOptions = {},
): Promise<Ranked> {
  const k = options.k ?? SEARCH_DEFAULTS.k;
  const mode = options.mode ?? 'hybrid';
  const candidates = Math.max(options.candidates ?? SEARCH_DEFAULTS.candidates, k);
  const terms = contentTerms(question);
  // What a passage must hold of the question: its terms without the paraphrase's pronouns and adverbs.
  const asked = askedTerms(terms).length > 0 ? askedTerms(terms) : terms;
  const expanders = options.expanders ?? SEARCH_DEFAULTS.expanders;
  const expanded = expandQuestion(index, question, terms, expanders.length > 0 ? sharedLexicon() : null, expanders);

  const written = codeNames(question);
  // The query is embedded off the main thread (bundled worker, onnxruntime), so the lexical
  // retrievers run while it is computed rather than after. A question writing a code name is
  // embedded as asked: its name anchors it, and the mean with its unframed content ("use
  // server.close") drew passages that merely use the name's words above the entry describing it
  // (node-api answer@5 0.800 → 0.767; docs/retrieval-own-words.md, section 14).
  const embedding = mode === 'lexical' ? null : written.length > 0 ? embedder.embedQuery(question) : questionVector(embedder, question);
  // Awaited below; this only keeps its failure from going unhandled should a lexical search throw first.
  embedding?.catch(() => undefined);
  const lexical = mode === 'dense' ? [] : index.lexical(question, candidates);
  const widened = mode === 'dense' || expanded.lexicalQuery === '' ? [] : index.lexical(expanded.lexicalQuery, candidates);
  const pageWeight = mode === 'dense' ? 0 : options.pageWeight ?? SEARCH_DEFAULTS.pageWeight;
  const pages = pageWeight > 0 ? index.pages(question, SEARCH_DEFAULTS.pageCandidates) : [];
  const vector = embedding ? await embedding : null;
  const dense = vector ? index.dense(vector, candidates) : [];
  const bm25 = new Map(lexical.map((l) => [l.label, l.score]));
  // The expansions count less than the question's own words, and may bring candidates of their own.
  for (const { label, score } of widened) bm25.set(label, (bm25.get(label) ?? 0) + SEARCH_DEFAULTS.expansionWeight * score);
  const labels = [...new Set([...dense.map((d) => d.label), ...bm25.keys()])];
  // The dense retriever already scored its hits; only lexical-only hits need their stored vector.
  const denseSimilarity = new Map(dense.map((d) => [d.label, d.similarity]));
  const similarityOf = (label: number) => {
    const known = denseSimilarity.get(label);
    if (known !== undefined) return known;
    const stored = vector && index.vector(label);
    return stored ? dot(vector, stored) : 0;
  };
  const scored: Scored[] = labels.map((label) => ({ label, similarity: similarityOf(label), bm25: bm25.get(label) ?? 0 }));
  const fusion = options.fusion ?? SEARCH_DEFAULTS.fusion;
  const fused =
    fusion.method === 'rrf'
      ? reciprocalRankFusion([
          { weight: fusion.denseWeight, labels: dense.map((d) => d.label) },
          { weight: 1 - fusion.denseWeight, labels: lexical.map((l) => l.label) },
        ])
      : convexFusion(scored, mode === 'dense' ? 1 : mode === 'lexical' ? 0 : fusion.denseWeight);
  const similarity = new Map(scored.map((s) => [s.label, s.similarity]));
  if (pageWeight > 0) addPageEvidence(index, fused, pages, pageWeight);
  const codeNameWeight = mode === 'hybrid' ? options.codeNameWeight ?? SEARCH_DEFAULTS.codeNameWeight : 0;
  if (codeNameWeight > 0) addCodeNameEvidence(index, fused, written, codeNameWeight);
  const names = specificNames(index, question, expanded.aliases, expanded.strangers);
  const top = diversify(index, fused, options.sameDocumentDecay ?? SEARCH_DEFAULTS.sameDocumentDecay, k).map(({ label, score }) => {
    const text = index.passage(label)?.text;
    return {
      label,
      score,
      similarity: vector ? similarity.get(label) ?? 0 : null,
      coverage: text !== undefined && asked.length > 0 ? termOverlapShare(asked, text, expanded) : 0,
      missingNames: names.filter(({ passages }) => !passages.has(label)).map(({ name, passages }) => ({ name, inLibrary: passages.size > 0 })),
    };
  });
  const signals: Signals = {
    dense: Math.max(0, ...top.map((t) => t.similarity ?? 0)),
    coverage: Math.max(0, ...top.map((t) => t.coverage)),
    unknown: unknownSubjects(
      asked,
      (term) => expanded.phrasing.has(term) || index.knows(term) || (expanded.alternatives.get(term) ?? []).some((list) => list.every((t) => index.knows(t))),
    ),
    names: names.length,
    absent: names.filter(({ named, passages }) => named && passages.size === 0).map(({ name }) => name),
  };
  return { top, signals, terms, codeNames: written };
}

/**
 * Adds the document's own BM25 score (normalised by the best document's) to each candidate: a page
 * that matches the question all over is likelier the right one than a page with one lucky passage.
 */
function addPageEvidence(
  index: SearchableIndex,
  fused: Array<{ label: number; score: number }>,
  pages: Array<{ docId: string; score: number }>,
  weight: number,
): void {
  const best = pages[0]?.score;
  if (!best) return;
  const pageScore = new Map(pages.map((page) => [page.docId, page.score / best]));
  for (const candidate of fused) {
    const docId = index.passage(candidate.label)?.docId;
    candidate.score += weight * (docId ? pageScore.get(docId) ?? 0 : 0);
  }
}

/**
 * Adds how well each candidate writes the question's code names as written: "what does
 * functools.lru_cache do?" is about the passage that says functools.lru_cache, not the one saying
 * functools and lru_cache apart. Re-sorts, because `diversify` demotes a document's later passages
 * in list order, and unlike page evidence this reorders passages within a document.
 */
function addCodeNameEvidence(index: SearchableIndex, fused: Array<{ label: number; score: number }>, names: string[], weight: number): void {
  if (names.length === 0) return;
  const score = codeNameScorer(names);
  for (const candidate of fused) {
    const passage = index.passage(candidate.label);
    // The heading path counts: some references name a method in the heading above its documentation.
    if (passage) candidate.score += weight * score([...passage.headingPath, passage.text].join('\n'), profileFor(index.document(passage.docId)));
  }
  fused.sort((a, b) => b.score - a.score);
}

/**
 * The top k after demoting repeat passages of one document (scores are re-sorted, never raised)
 * and dropping passages that repeat a better one's text: docs copy paragraphs between pages (release
 * notes, included fragments), and two identical quotes waste a place in the answer.
 */
function diversify(
  index: SearchableIndex,
  fused: Array<{ label: number; score: number }>,
  decay: number,
  k: number,
): Array<{ label: number; score: number }> {
  const seen = new Map<string, number>();
  const adjusted = fused.map(({ label, score }) => {
    const docId = index.passage(label)?.docId ?? '';
    const earlier = seen.get(docId) ?? 0;
    seen.set(docId, earlier + 1);
    return { label, score: score * decay ** earlier };
  });
  adjusted.sort((a, b) => b.score - a.score);
  const top: Array<{ label: number; score: number }> = [];
  const texts: string[] = [];
  for (const candidate of adjusted) {
    if (top.length === k) break;
    const text = normalisedText(index.passage(candidate.label)?.text ?? '');
    if (texts.some((kept) => repeats(text, kept))) continue;
    top.push(candidate);
    texts.push(text);
  }
  return top;
}

const normalisedText = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Whether one passage's text is the other's, or wholly inside it. */
function repeats(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return shorter.length >= SEARCH_DEFAULTS.minCopyChars && longer.includes(shorter);
}

/**
 * The rule that keeps a ranked hit from being quoted on its own, or null when it is relevant:
 * - `name`: it mentions none of the rare names the question gives;
 * - `absent`: the question names a thing no passage mentions (see `Signals.absent`);
 * - `unknown`: the question's subject is words the library never uses, and the hit holds too few of its terms;
 * - `floor`: its similarity is below the floor;
 * - `coverage`: its similarity is between floor and accept, and it holds too few of the question's terms.
 */
export type DeclineRule = 'name' | 'absent' | 'unknown' | 'floor' | 'coverage';

/** Why one ranked hit is not worth quoting (null: it is), judged on its own names, similarity and term coverage. */
export function declineRule(hit: Ranked['top'][number], signals: Signals, relevance: Relevance): DeclineRule | null {
  // A passage about none of the rare names the question gives is about something else; one of
  // several will do ("sort strings in English and German": the casefold passage names German).
  if (signals.names > 0 && hit.missingNames.length === signals.names) return 'name';
  if (signals.absent?.length) return 'absent';
  // Every word of the question, a rare name among them, in one passage: relevant whatever the
  // encoder makes of a short question ("What is SIGTERM?" scores its passages 0.19–0.25).
  if (signals.names > 0 && hit.coverage === 1) return null;
  // Lexical-only mode has no similarity to judge by: coverage alone decides.
  if (hit.similarity === null) return hit.coverage >= relevance.coverage ? null : 'coverage';
  if (signals.unknown.length > 0 && hit.coverage < relevance.coverage) return 'unknown';
  if (hit.similarity >= relevance.denseAccept) return null;
  if (hit.similarity < relevance.denseFloor) return 'floor';
  return hit.coverage >= relevance.coverage ? null : 'coverage';
}

function hitIsRelevant(hit: Ranked['top'][number], signals: Signals, relevance: Relevance): boolean {
  return declineRule(hit, signals, relevance) === null;
}

/** A question is answered when at least one of its top hits is relevant on its own. */
export function decide(ranked: Ranked, relevance: Relevance): boolean {
  return ranked.top.some((hit) => hitIsRelevant(hit, ranked.signals, relevance));
}

/**
 * The coverage a hit must reach to be quoted beside the hits relevant on their own (see
 * `SEARCH_DEFAULTS.peerCoverageShare`), or null when none is: a declined question quotes nothing.
 */
function peerCoverage(relevant: ReadonlySet<Ranked['top'][number]>): number | null {
  if (relevant.size === 0) return null;
  return SEARCH_DEFAULTS.peerCoverageShare * Math.max(...[...relevant].map((hit) => hit.coverage));
}

/**
 * Whether a hit not relevant on its own holds as much of the question as one that is: its cosine is
 * then all that would hide it, and the encoder's cosine of a paraphrase is noise at the scale that
 * separates the two (Debian Reference: the answering passage at 0.447 behind one at 0.498, both
 * holding two of five question terms). It must still pass the similarity floor and give a name.
 */
function matchesAsWell(hit: Ranked['top'][number], signals: Signals, relevance: Relevance, peer: number | null): boolean {
  if (peer === null || hit.similarity === null || hit.similarity < relevance.denseFloor) return false;
  if (signals.names > 0 && hit.missingNames.length === signals.names) return false;
  return hit.coverage >= peer;
}

/**
 * The hits worth quoting, in rank order: those relevant on their own, and beside them those that
 * hold as much of the question (see `matchesAsWell`).
 */
export function quotable(ranked: Ranked, relevance: Relevance = DEFAULT_RELEVANCE): Ranked['top'] {
  const relevant = new Set(ranked.top.filter((hit) => hitIsRelevant(hit, ranked.signals, relevance)));
  const peer = peerCoverage(relevant);
  return ranked.top.filter((hit) => relevant.has(hit) || matchesAsWell(hit, ranked.signals, relevance, peer));
}

/**
 * The hits a reader is shown, with their quotes: only hits relevant on their own are quoted, in
 * rank order, so a weak answer is not padded with whatever came next, and a good second hit is not
 * hidden behind a poor first one.
 */
export function quoteRanked(index: SearchableIndex, ranked: Ranked, relevance: Relevance = DEFAULT_RELEVANCE): Array<{ label: number; hit: SearchHit }> {
  const shown: Array<{ label: number; hit: SearchHit }> = [];
  const quoted = new Set<string>();
  for (const candidate of quotable(ranked, relevance)) {
    const passage = index.passage(candidate.label);
    const hit = passage && toHit(index, passage, candidate.similarity ?? candidate.score, ranked);
    // Two passages can differ and still give the same quote (an example in two module syntaxes,
    // a paragraph copied between pages): the reader is shown it once, from the better-ranked hit.
    const quote = hit && normalisedText(hit.quote);
    if (!hit || quoted.has(quote!)) continue;
    quoted.add(quote!);
    shown.push({ label: candidate.label, hit });
  }
  return shown;
}

/**
 * When a question is declined, the sections whose passages came closest, cited and never quoted:
 * hits held back only by the similarity thresholds (`floor`, `coverage`) that give one of the rare
 * names the question gives, or hold some of its words when it gives none. The encoder cannot read
 * every name ("What position does Mark Rutte hold?" scores 0.065 against the passage naming him),
 * and a reader it misjudged is a click from the answer. A hit giving none of the question's names,
 * or about words the library never uses, is about something else and is not offered (wider rules
 * named a section for nearly every off-topic question; docs/retrieval-own-words.md, section 15).
 * One entry per section, in rank order.
 */
export function nearestSections(index: SearchableIndex, ranked: Ranked, relevance: Relevance = DEFAULT_RELEVANCE): Array<{ label: number; citation: Citation }> {
  const nearest: Array<{ label: number; citation: Citation }> = [];
  const sections = new Set<string>();
  for (const hit of ranked.top) {
    if (nearest.length === SEARCH_DEFAULTS.nearestOnDecline) break;
    const rule = declineRule(hit, ranked.signals, relevance);
    const givesName = hit.missingNames.length < ranked.signals.names;
    const offered = (rule === 'floor' || rule === 'coverage') && (ranked.signals.names > 0 ? givesName : hit.coverage > 0);
    const passage = offered ? index.passage(hit.label) : undefined;
    const doc = passage && index.document(passage.docId);
    if (!passage || !doc) continue;
    // A document without headings has no sections to merge: its paragraphs are the places a reader is sent to.
    const section = [doc.id, ...(passage.headingPath.length > 0 ? passage.headingPath : [`¶${passage.paragraph}`])].join('\u0000');
    if (sections.has(section)) continue;
    sections.add(section);
    nearest.push({ label: hit.label, citation: citationFor(doc, passage) });
  }
  return nearest;
}

export async function search(
  index: SearchableIndex,
  embedder: Embedder,
  question: string,
  options: SearchOptions = {},
  relevance: Relevance = DEFAULT_RELEVANCE,
): Promise<Answer> {
  const started = performance.now();
  const ranked = await rank(index, embedder, question, options);
  const results = quoteRanked(index, ranked, relevance).map(({ hit }) => hit);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  if (results.length > 0) return { question, answered: true, results, ms };
  const nearest = nearestSections(index, ranked, relevance).map(({ citation }) => citation);
  return { question, answered: false, results, missingNames: missingEverywhere(ranked.top), ...(nearest.length > 0 ? { nearest } : {}), ms };
}

/**
 * Share of the question's content terms found in a text: a term itself, or another name that
 * stands for it ("UN" for "United Nations"), counts 1; another form of the word only (see
 * `Expanded.forms`) counts `SEARCH_DEFAULTS.alternativeCredit`.
 */
function termOverlapShare(terms: string[], text: string, expanded: Expanded): number {
  const present = new Set(contentTerms(text));
  let found = 0;
  for (const term of terms) {
    if (present.has(term)) found += 1;
    else if (holds(present, term, expanded)) found += expanded.forms.has(term) ? SEARCH_DEFAULTS.alternativeCredit : 1;
  }
  return found / terms.length;
}
