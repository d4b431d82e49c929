import type { DocumentSummary, SourceView } from '../library-api.js';
import type { Answer } from '../types.js';
import { declineReason } from './decline-reason.js';
import { citationLine } from './citation-line.js';

const NOT_FOUND = 'Not found in the library: no passage is relevant enough to quote.';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** An answer as plain text for the terminal: each quote, its citation and the ref for `source`. */
export function renderAnswer(answer: Answer): string {
  if (!answer.answered) {
    const reason = declineReason(answer.missingNames ?? []);
    const nearest = (answer.nearest ?? []).map((citation) => [`  - ${citationLine(citation)}`, ...(citation.url ? [`    ${citation.url}`] : []), `    ref: ${citation.ref}`].join('\n'));
    const pointers = nearest.length > 0 ? `\nNearest sections, not checked to answer it:\n${nearest.join('\n')}` : '';
    return `${NOT_FOUND}${reason ? `\n${reason}` : ''}${pointers}\n`;
  }
  const blocks = answer.results.map((hit, i) => {
    const lines = [`${i + 1}. “${hit.quote}”`, `   ${citationLine(hit.citation)}`];
    if (hit.citation.url) lines.push(`   ${hit.citation.url}`);
    lines.push(`   ref: ${hit.citation.ref}   (similarity ${hit.score.toFixed(2)})`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

export function renderSource(view: SourceView): string {
  const { document: doc } = view;
  const lines = [
    `${view.ref} — ${citationLine(view.citation)}`,
    `document: ${doc.title} (${doc.path}, ${doc.passages} passages)${doc.url ? `\nurl: ${view.citation.url ?? doc.url}` : ''}`,
    '',
  ];
  if (view.previous) lines.push(`before (${view.previous.ref}):`, indent(view.previous.text, '  '), '');
  lines.push(`${view.ref}:`, indent(view.passage, '> '), '');
  if (view.next) lines.push(`after (${view.next.ref}):`, indent(view.next.text, '  '), '');
  return lines.join('\n');
}

/** One line per document: the ref to pass to `source`, then the title and date. */
export function renderDocumentList(docs: DocumentSummary[]): string {
  return docs.map((d) => `${d.firstRef.padEnd(48)} ${d.title}${d.date ? ` (${d.date})` : ''}`).join('\n');
}

/**
 * Another build writing the index (the bot's own re-index, another `archivist index`) is waited
 * for rather than failed on; said once on stderr, so `ask --json` output stays clean.
 */
export function sayWaitingForWriter(indexDir: string): (pid: number) => void {
  return (pid) => process.stderr.write(`another index build (pid ${pid}) is writing ${indexDir}; waiting for it to finish (Ctrl-C to stop)\n`);
}
