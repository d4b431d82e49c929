import type { Citation } from '../types.js';

/** "Source — Title (date), ¶ n": the one way a citation reads, in the terminal and in Discord. */
export function citationLine(citation: Citation): string {
  const dated = citation.date ? `${citation.title} (${citation.date})` : citation.title;
  const section = citation.headingPath.length > 0 ? ` › ${citation.headingPath.join(' › ')}` : '';
  return `${citation.source ? `${citation.source} — ` : ''}${dated}${section}, ¶ ${citation.paragraph}`;
}
