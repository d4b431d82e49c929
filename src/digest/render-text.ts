import { isEmptyDigest, type Digest } from './digest.js';
import { askedTimes, dateTime as at, documentMeta, figuresLine, missReason, nearestPart, plural, SECTION } from './wording.js';

/** The digest for a terminal: the same content as the Discord message, without its length limits. */
export function renderText(digest: Digest): string {
  const { period, timezone } = digest;
  const span = `${at(period.since, timezone)} to ${at(period.until, timezone)} (${timezone})`;
  if (isEmptyDigest(digest)) return `Digest, ${span}: nothing new — no documents were added or changed and no questions were asked.\n`;

  const out = [`Digest, ${span}`];
  if (digest.lateFor) out.push(`Late: due ${at(digest.lateFor, timezone)}, posted once the bot was back.`);
  out.push('', SECTION.library);
  if (digest.library.length + digest.libraryNotListed === 0) out.push('  No documents were added or changed.');
  for (const entry of digest.library) {
    const meta = documentMeta(entry);
    out.push(`  ${entry.title}${meta ? ` — ${meta}` : ''}`);
    if (entry.url) out.push(`    ${entry.url}`);
    for (const point of entry.points) out.push(`    • “${point.text}” [${point.ref}]`);
  }
  if (digest.libraryNotListed > 0) out.push(`  … and ${plural(digest.libraryNotListed, 'more document')}.`);
  if (digest.mostAsked.length > 0) {
    out.push('', SECTION.mostAsked);
    for (const q of digest.mostAsked) out.push(`  ${q.question}${askedTimes(q.count)}`, `    “${q.quote.text}” — ${q.quote.title} [${q.quote.ref}]`);
  }
  if (digest.notFound.length > 0) {
    out.push('', SECTION.notFound);
    for (const q of digest.notFound) out.push(`  • ${q.question}${askedTimes(q.count)} — ${missReason(q)}${nearestPart(q, (where) => where, (ref) => `[${ref}]`)}`);
  }
  out.push('', figuresLine(digest.figures));
  return out.join('\n') + '\n';
}

export function renderJson(digest: Digest): string {
  return JSON.stringify(digest, null, 2) + '\n';
}
