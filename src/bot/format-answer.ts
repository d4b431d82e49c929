import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import { citationLine } from '../format/citation-line.js';
import { declineReason } from '../format/decline-reason.js';
import type { Answer, Citation, SearchHit } from '../types.js';
import { askFeedbackId, askPassageId } from './custom-ids.js';
import { ELLIPSIS, LIMITS, embedLength, fitRendered, truncate } from './limits.js';
import { escapeText, inlineCode, maskedLink } from './markdown.js';

/** A message body in API shape (what discord.js accepts as reply/edit options, minus allowedMentions). */
export interface MessageParts {
  content?: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
}

export const COLORS = { answer: 0x5865f2, notFound: 0x99aab5, source: 0x3ba55d, error: 0xed4245 } as const;

/** Room kept free below 6,000 for rounding and separators. */
const TOTAL_BUDGET = LIMITS.embedTotal - 40;

/** Part of a rendered quote: plain context or the emphasised sentence(s). */
export interface Segment {
  text: string;
  strong?: boolean;
}

function strongPiece(piece: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(piece)!;
  return match[2] ? `${match[1]}**${escapeText(match[2])}**${match[3]}` : piece;
}

/** Segments as a Discord blockquote: each line prefixed with "> ", text escaped, strong parts in bold. */
export function renderBlockquote(segments: Segment[]): string {
  const lines: string[] = [''];
  for (const segment of segments) {
    segment.text.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push('');
      lines[lines.length - 1] += segment.strong ? strongPiece(piece) : escapeText(piece);
    });
  }
  return lines.map((line) => `> ${line}`.trimEnd()).join('\n');
}

/**
 * The passage as a blockquote with the quote in bold, at most `budget` characters: context around the
 * quote is trimmed at word boundaries (marked with "…"), and a quote longer than the budget is cut at a
 * sentence or word boundary. `cut` says whether anything of the passage was left out.
 */
export function renderQuote(passage: string, quote: string, budget: number): { text: string; cut: boolean } {
  const at = quote === '' ? -1 : passage.indexOf(quote);
  const before = at >= 0 ? passage.slice(0, at) : '';
  const after = at >= 0 ? passage.slice(at + quote.length) : '';
  const core = at >= 0 ? quote : quote || passage;
  const whole = renderBlockquote([{ text: before }, { text: core, strong: true }, { text: after }]);
  if (whole.length <= budget) return { text: whole, cut: at < 0 && passage !== core };

  const quoteOnly = renderBlockquote([{ text: core, strong: true }]);
  const marks = (before ? 1 : 0) + (after ? 1 : 0);
  if (quoteOnly.length + marks > budget) {
    const fit = fitRendered(core, budget - 1, (t) => renderBlockquote([{ text: t, strong: true }]));
    return { text: fit.rendered + ELLIPSIS, cut: true };
  }

  const measure = (t: string) => renderBlockquote([{ text: t }]).slice(2);
  let room = budget - quoteOnly.length - marks;
  for (let attempt = 0; attempt < 8; attempt++) {
    const half = Math.floor(room / 2);
    let afterFit = fitRendered(after, half, measure);
    const beforeFit = fitRendered(before, room - afterFit.rendered.length, measure, { fromStart: true });
    afterFit = fitRendered(after, room - beforeFit.rendered.length, measure);
    const segments: Segment[] = [
      { text: (beforeFit.cut ? ELLIPSIS : '') + beforeFit.text },
      { text: core, strong: true },
      { text: afterFit.text + (afterFit.cut ? ELLIPSIS : '') },
    ];
    const text = renderBlockquote(segments);
    if (text.length <= budget) return { text, cut: beforeFit.cut || afterFit.cut };
    room -= text.length - budget;
  }
  const fit = fitRendered(core, budget - 1, (t) => renderBlockquote([{ text: t, strong: true }]));
  return { text: fit.rendered + ELLIPSIS, cut: true };
}

/** Plain text escaped and fitted to `max` rendered characters, with "…" when cut. */
export function fitText(text: string, max: number): string {
  const fit = fitRendered(text, max - 1, escapeText);
  return fit.cut ? fit.rendered + ELLIPSIS : fit.rendered;
}

/** The citation, linked to the document when it has a URL. */
export function renderCitation(hit: Pick<SearchHit, 'citation'>, max = 300): string {
  return maskedLink(truncate(citationLine(hit.citation), max), hit.citation.url);
}

/** The line that gives the ref, and says where the rest is when the quote was shortened. */
export function refLine(ref: string, cut: boolean): string {
  return cut ? `${ELLIPSIS} full passage: ${inlineCode(`/source ref:${ref}`)}` : `Ref ${inlineCode(ref)}`;
}

function hitField(hit: SearchHit, index: number, budget: number): APIEmbedField {
  const name = `${index + 1}. ${fitText(hit.citation.title, 110)}`;
  const citation = `— ${renderCitation(hit)}`;
  const valueBudget = Math.min(LIMITS.fieldValue, budget - name.length);
  const reserve = citation.length + refLine(hit.citation.ref, true).length + 2;
  const quote = renderQuote(hit.passage, hit.quote, Math.max(60, valueBudget - reserve));
  let value = [quote.text, citation, refLine(hit.citation.ref, quote.cut)].join('\n');
  if (value.length > LIMITS.fieldValue) value = truncate(value, LIMITS.fieldValue);
  return { name, value };
}

/** A button per ref that shows its passage: "Full passage", or "Full passage 2" among several. */
function passageButtons(refs: string[], label: string): APIButtonComponent[] {
  return refs.map((ref, i) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: askPassageId(i, ref),
    label: refs.length === 1 ? label : `${label} ${i + 1}`,
  }));
}

function feedbackRow(questionId: number): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: askFeedbackId(questionId, 'up'), emoji: { name: '👍' }, label: 'Helpful' },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: askFeedbackId(questionId, 'down'), emoji: { name: '👎' }, label: 'Not helpful' },
    ],
  };
}

/** Up to five buttons per row, at most `maxRows` rows. */
export function buttonRows(buttons: APIButtonComponent[], maxRows: number): Array<APIActionRowComponent<APIButtonComponent>> {
  const rows: Array<APIActionRowComponent<APIButtonComponent>> = [];
  for (let i = 0; i < buttons.length && rows.length < maxRows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

export interface AnswerFormatOptions {
  /** Id of the logged question, carried by the 👍/👎 buttons; null leaves them out. */
  questionId: number | null;
}

/**
 * The reply to a question: an embed with the question and, per hit, the quote (passage context with the
 * best sentence in bold), its citation and its ref; "Full passage" and feedback buttons. When nothing
 * is relevant, a clear not-found message and no quotes at all, with the nearest sections cited when
 * search offers any (see `nearestSections`).
 */
export function formatAnswer(answer: Answer, options: AnswerFormatOptions): MessageParts {
  const titleFit = fitRendered(answer.question, LIMITS.embedTitle - 1, escapeText);
  const embed: APIEmbed = { title: titleFit.cut ? titleFit.rendered + ELLIPSIS : titleFit.rendered };
  const lines: string[] = [];
  if (titleFit.cut) lines.push(`**Question:** ${fitText(answer.question, 2200)}`);
  const components: MessageParts['components'] = [];
  const hits = answer.answered ? answer.results.slice(0, 10) : [];

  if (hits.length === 0) {
    embed.color = COLORS.notFound;
    const reason = declineReason(answer.missingNames ?? []);
    lines.push('**Not found in the library.** No indexed passage answers this closely enough, so no quotes are shown.', ...(reason ? [escapeText(reason)] : []));
    const closing = 'Try other words, or browse the documents with `/source`.';
    // As many nearest sections as the description holds: a long question or address leaves room for fewer.
    const nearest: Citation[] = [];
    const pointers = ['', 'Nearest sections, not checked to answer it:'];
    for (const citation of answer.nearest ?? []) {
      const line = `• ${renderCitation({ citation }, 200)} — ${inlineCode(citation.ref)}`;
      if ([...lines, ...pointers, line, '', closing].join('\n').length > LIMITS.embedDescription) break;
      pointers.push(line);
      nearest.push(citation);
    }
    if (nearest.length > 0) lines.push(...pointers, '');
    lines.push(closing);
    embed.description = lines.join('\n');
    embed.footer = { text: `archivist · searched in ${Math.round(answer.ms)} ms` };
    // The buttons an answer's passages have: a misjudged question is one click from its answer.
    components.push(...buttonRows(passageButtons(nearest.map(({ ref }) => ref), 'Nearest passage'), 1));
  } else {
    embed.color = COLORS.answer;
    if (lines.length > 0) embed.description = lines.join('\n');
    embed.footer = {
      text: `Quoted verbatim from the library · ${hits.length} ${hits.length === 1 ? 'passage' : 'passages'} · ${Math.round(answer.ms)} ms`,
    };
    const fixed = embedLength([embed]);
    const perHit = Math.floor((TOTAL_BUDGET - fixed) / hits.length);
    embed.fields = hits.map((hit, i) => hitField(hit, i, perHit));
    components.push(...buttonRows(passageButtons(hits.map((hit) => hit.citation.ref), 'Full passage'), options.questionId === null ? 5 : 4));
  }
  if (options.questionId !== null) components.push(feedbackRow(options.questionId));
  return { embeds: [embed], components };
}
