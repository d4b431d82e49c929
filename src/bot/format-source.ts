import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import { citationLine } from '../format/citation-line.js';
import type { DocumentSummary, SourceView } from '../library-api.js';
import { sourceListId, sourceViewId } from './custom-ids.js';
import { COLORS, buttonRows, fitText, renderBlockquote, type MessageParts } from './format-answer.js';
import { ELLIPSIS, LIMITS, embedLength, fitRendered, truncate } from './limits.js';
import { escapeText, inlineCode, maskedLink, safeUrl } from './markdown.js';

const NEIGHBOUR_BUDGET = 500;

function neighbourField(label: string, neighbour: { ref: string; text: string }, keep: 'start' | 'end'): APIEmbedField {
  const measure = (t: string) => renderBlockquote([{ text: t }]);
  const fit = fitRendered(neighbour.text, NEIGHBOUR_BUDGET - 1, measure, { fromStart: keep === 'end' });
  const text = fit.cut ? (keep === 'end' ? ELLIPSIS + fit.text : fit.text + ELLIPSIS) : fit.text;
  return { name: truncate(`${label} · ${neighbour.ref}`, 200), value: renderBlockquote([{ text }]) || '> …' };
}

/** Where the text of a document can be read in full. */
function whereToRead(view: SourceView): string {
  // The citation's URL lands on the passage's section; the document's on its top.
  const url = safeUrl(view.citation.url ?? view.document.url);
  return url ? `${inlineCode(view.document.path)} (${maskedLink('online', url)})` : inlineCode(view.document.path);
}

/**
 * A passage with its neighbours and its document's metadata (/source and the "Full passage" button).
 * The passage is quoted whole when it fits; otherwise cut at a boundary with a pointer to the file.
 */
export function formatSourceView(view: SourceView): MessageParts {
  const doc = view.document;
  const embed: APIEmbed = { title: fitText(doc.title, LIMITS.embedTitle), color: COLORS.source };
  const url = safeUrl(view.citation.url ?? doc.url);
  if (url) embed.url = url;
  const fields: APIEmbedField[] = [];
  if (view.previous) fields.push(neighbourField('Before', view.previous, 'end'));
  if (view.next) fields.push(neighbourField('After', view.next, 'start'));
  const meta = [
    doc.source ? `**Source:** ${fitText(doc.source, 200)}` : null,
    doc.date ? `**Date:** ${doc.date}` : null,
    `**File:** ${whereToRead(view)}`,
    `**Passages:** ${doc.passages}`,
  ].filter((line): line is string => line !== null);
  fields.push({ name: 'Document', value: truncate(meta.join('\n'), LIMITS.fieldValue) });
  embed.fields = fields;
  embed.footer = { text: truncate(`Quoted verbatim · ref ${view.ref}`, 300) };

  const header = `${escapeText(truncate(citationLine(view.citation), 400))}\n`;
  const rest = `\n${ELLIPSIS} the passage continues in ${whereToRead(view)}`;
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - 40 - embedLength([embed])) - header.length;
  const whole = renderBlockquote([{ text: view.passage }]);
  if (whole.length <= room) {
    embed.description = header + whole;
  } else {
    const fit = fitRendered(view.passage, room - rest.length - 1, (t) => renderBlockquote([{ text: t }]));
    embed.description = header + fit.rendered + ELLIPSIS + rest;
  }

  const buttons: APIButtonComponent[] = [];
  if (view.previous) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: sourceViewId(view.previous.ref, 'prev'), label: '◀ Previous passage' });
  }
  if (view.next) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: sourceViewId(view.next.ref, 'next'), label: 'Next passage ▶' });
  }
  // A PDF's link opens at the page (#page=N) rather than at a section.
  const label = view.citation.page !== undefined && url === safeUrl(view.citation.url) ? `Open page ${view.citation.page}` : 'Open section';
  if (url) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Link, url, label });
  return { embeds: [embed], components: buttonRows(buttons, 1) };
}

export const DOCUMENTS_PER_PAGE = 10;

/** One page of the indexed documents, with ◀ ▶ buttons when there is more than one page. */
export function formatDocumentList(documents: DocumentSummary[], page: number): MessageParts {
  const pages = Math.max(1, Math.ceil(documents.length / DOCUMENTS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const embed: APIEmbed = { title: `Indexed documents (${documents.length})`, color: COLORS.source };
  if (documents.length === 0) {
    embed.description = 'No documents are indexed yet. Add files to the docs folder, then run `/reindex`.';
    return { embeds: [embed], components: [] };
  }
  const first = current * DOCUMENTS_PER_PAGE;
  const lines = documents.slice(first, first + DOCUMENTS_PER_PAGE).map((doc, i) => {
    const about = [doc.source ? fitText(doc.source, 80) : null, doc.date].filter(Boolean).join(', ');
    const title = maskedLink(truncate(doc.title, 120), doc.url);
    return [
      `**${first + i + 1}.** ${title}${about ? ` — ${about}` : ''}`,
      `${doc.passages} ${doc.passages === 1 ? 'passage' : 'passages'} · ${inlineCode(`/source ref:${truncate(doc.firstRef, 150)}`)}`,
    ].join('\n');
  });
  embed.description = truncate(lines.join('\n'), LIMITS.embedDescription);
  embed.footer = { text: `Page ${current + 1} of ${pages} · /source ref:<ref> shows a passage` };
  if (pages === 1) return { embeds: [embed], components: [] };
  const buttons: APIButtonComponent[] = [
    { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: sourceListId(Math.max(0, current - 1), 'prev'), label: '◀ Previous', disabled: current === 0 },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: sourceListId(Math.min(pages - 1, current + 1), 'next'), label: 'Next ▶', disabled: current >= pages - 1 },
  ];
  return { embeds: [embed], components: buttonRows(buttons, 1) };
}
