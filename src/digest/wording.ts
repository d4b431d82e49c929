// Phrases both renderers use, so the terminal shows what Discord would.
import type { Digest, DigestDocumentEntry, NotFoundQuestion } from './digest.js';

export function figuresLine(figures: Digest['figures']): string {
  const share = figures.questions === 0 ? '' : ` · ${Math.round((100 * figures.answered) / figures.questions)}% answered`;
  return `${plural(figures.questions, 'question')}${share} · ${plural(figures.documents, 'document')} · ${plural(figures.passages, 'passage')} in the library`;
}

/** "Institute for the Study of War · 2024-10-30 · new" */
export function documentMeta(entry: DigestDocumentEntry): string {
  return [entry.source, entry.date, entry.change].filter(Boolean).join(' · ');
}

/** Why a question is listed as not found: "no confident answer ×2 · 👎 1". */
export function missReason(q: NotFoundQuestion): string {
  const parts: string[] = [];
  if (q.unanswered > 0) parts.push(`no confident answer${q.unanswered > 1 ? ` ×${q.unanswered}` : ''}`);
  if (q.downvotes > 0) parts.push(`👎 ${q.downvotes}`);
  return parts.join(' · ');
}

/** " · nearest: Title › Section [ref]" when the library names a section it came closest to, each part as the renderer shows it. */
export function nearestPart(q: NotFoundQuestion, where: (text: string) => string, ref: (ref: string) => string): string {
  return q.nearest ? ` · nearest: ${where(q.nearest.where)} ${ref(q.nearest.ref)}` : '';
}

export function askedTimes(count: number): string {
  return count > 1 ? ` (asked ${count}×)` : '';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 Nov 2024, 09:00" in the digest's zone. */
export function dateTime(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** "Saturday 2 November 2024" in the digest's zone: the day a digest is for. */
export function day(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full' }).format(new Date(iso));
}

export const SECTION = { library: 'New and changed in the library', mostAsked: 'Most asked', notFound: 'Not found' } as const;
