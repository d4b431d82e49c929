const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The end of a sentence, closing quotes and brackets included. */
export const SENTENCE_END = /[.!?]["'”’)\]]*$/;

/** A newline inside a paragraph is line wrapping, but Unicode segmentation ends a sentence at every one. */
const SOFT_BREAK = /(?<!\n)\n(?!\n)/g;
/**
 * "…Ukraine.[1] The…": the segmenter treats "[" as closing punctuation and splits between "[" and
 * "1]". Seen as ")))" the marker stays with the sentence it annotates.
 */
const FOOTNOTE = /\[\d{1,4}\]/g;
/** Titles and short forms whose period seldom ends a sentence ("Mr. Smith", "No. 5", "vs. The"). */
const ABBREVIATION =
  /(?:^|[^\p{L}\p{N}])(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|No|Nos|vs|cf|al|Fig|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|approx)\.$/u;
/** Dotted abbreviations ("U.S.", "e.g.", "i.e.") and initials ("N. Korean", "J. R. R. Tolkien"). */
const DOTTED = /(?:^|[^\p{L}\p{N}.])(?:(?:\p{L}\.){2,}|\p{Lu}\.)$/u;

/**
 * Sentences of `text` between `start` and `end`, as absolute offsets trimmed of surrounding
 * whitespace. Uses Intl.Segmenter, then rejoins splits made after an abbreviation, and splits with
 * no space between (the segmenter ends a sentence inside `"/var/backups/dpkg.status.*".`, at
 * `status.`): merging two real sentences only costs a longer sentence, while a wrong split would
 * cut a quote in half.
 */
export function sentenceSpans(text: string, start = 0, end = text.length): Array<{ start: number; end: number }> {
  const masked = text
    .slice(start, end)
    .replace(SOFT_BREAK, ' ')
    .replace(FOOTNOTE, (marker) => ')'.repeat(marker.length));
  const spans: Array<{ start: number; end: number }> = [];
  for (const { index, segment } of segmenter.segment(masked)) {
    let s = start + index;
    let e = s + segment.length;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e === s) continue;
    const previous = spans[spans.length - 1];
    if (previous !== undefined && (glued(text, previous, s) || endsWithAbbreviation(text.slice(previous.start, previous.end)))) previous.end = e;
    else spans.push({ start: s, end: e });
  }
  return spans;
}

/** A sentence end with no space after it: CJK full stops ("。") are followed by none, a Latin period is. */
function glued(text: string, previous: { start: number; end: number }, next: number): boolean {
  return next === previous.end && SENTENCE_END.test(text.slice(previous.start, previous.end));
}

function endsWithAbbreviation(sentence: string): boolean {
  const tail = sentence.slice(-12);
  return ABBREVIATION.test(tail) || DOTTED.test(tail);
}
