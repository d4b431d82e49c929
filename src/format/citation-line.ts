import type { Citation } from '../types.js';

/**
 * "Source — Title (date), ¶ n": the one way a citation reads, in the terminal and in Discord. A
 * paged document (PDF) names the page instead, "p. 12", as a reader would look it up.
 */
export function citationLine(citation: Citation): string {
  const dated = citation.date ? `${citation.title} (${citation.date})` : citation.title;
  const section = citation.headingPath.length > 0 ? ` › ${citation.headingPath.join(' › ')}` : '';
  const where = citation.page !== undefined ? `p. ${citation.page}` : `¶ ${citation.paragraph}`;
  return `${citation.source ? `${citation.source} — ` : ''}${dated}${section}, ${where}`;
}
