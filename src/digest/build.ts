import type { Records } from '../records/records.js';
import type { AskedQuestion, Digest, DigestDocumentEntry, NotFoundQuestion } from './digest.js';
import { groupQuestions } from './group-questions.js';
import { keyPointsOf } from './key-points.js';
import type { DigestSources } from './sources.js';

export interface DigestRequest {
  since: Date;
  until: Date;
  /** Only this guild's questions; every guild's when unset (the terminal). */
  guildId?: string;
  timezone: string;
  /** The scheduled time of a catch-up run. */
  lateFor?: Date | null;
}

export interface DigestOptions {
  /** Documents listed; bounds the embedding work when an index build adds a whole corpus at once. */
  documents: number;
  pointsPerDocument: number;
  mostAsked: number;
  notFound: number;
  /** Cosine similarity at which two questions count as the same one asked differently. */
  duplicateSimilarity: number;
}

const DEFAULT_DIGEST_OPTIONS: DigestOptions = { documents: 20, pointsPerDocument: 3, mostAsked: 5, notFound: 10, duplicateSimilarity: 0.9 };

/** Without a delivered digest to continue from, a digest covers the last day. */
const DEFAULT_PERIOD_MS = 24 * 60 * 60 * 1000;

/** Where the next digest starts: where the last delivered one ended, else a day before `until`. */
export function pendingSince(lastCovered: Date | null, until: Date): Date {
  return lastCovered ?? new Date(until.getTime() - DEFAULT_PERIOD_MS);
}

/** Gathers the period's library changes and questions into a Digest. */
export async function buildDigest(
  request: DigestRequest,
  deps: { records: Records; sources: DigestSources; options?: Partial<DigestOptions> },
): Promise<Digest> {
  const { records, sources } = deps;
  const options = { ...DEFAULT_DIGEST_OPTIONS, ...deps.options };

  // Documents are recorded here, from the index in use, rather than by every path that builds an
  // index (CLI, bot start-up, /reindex): versions already known keep the date they were first seen.
  const indexed = sources.indexed();
  await records.recordIndexedDocuments(indexed.documents, indexed.at);

  const library: DigestDocumentEntry[] = [];
  let libraryNotListed = 0;
  for (const change of await records.documentVersions.changesBetween(request.since, request.until)) {
    const doc = sources.document(change.docId);
    if (!doc) continue; // removed again since
    if (library.length >= options.documents) {
      libraryNotListed++;
      continue;
    }
    const { from, points } = await keyPointsOf(doc, sources.embed, options.pointsPerDocument);
    const { id, title, source, date, url } = doc;
    library.push({ id, title, source, date, url, change: change.kind, pointsFrom: from, points });
  }

  const questions = await records.questionLog.between(request.since, request.until, request.guildId);
  const groups = await groupQuestions(questions, sources.embed, options.duplicateSimilarity);
  // Most asked first; among equals, the earlier question first.
  groups.sort((a, b) => b.members.length - a.members.length || a.members[0]!.askedAt.getTime() - b.members[0]!.askedAt.getTime());

  // A group with any miss (no confident answer, or a 👎) belongs under "not found", so the two lists never repeat each other.
  const notFound: NotFoundQuestion[] = [];
  const mostAsked: AskedQuestion[] = [];
  for (const group of groups) {
    const unanswered = group.members.filter((q) => !q.answered).length;
    const downvotes = group.members.reduce((sum, q) => sum + q.downvotes, 0);
    if (unanswered + downvotes > 0) {
      if (notFound.length < options.notFound) {
        // Where it came closest tells the team whether the library lacks the answer or the question was misjudged.
        const nearest = unanswered > 0 ? await sources.nearest(group.question) : null;
        notFound.push({ question: group.question, count: group.members.length, unanswered, downvotes, ...(nearest ? { nearest } : {}) });
      }
    } else if (mostAsked.length < options.mostAsked) {
      // Quoted afresh: the library may answer better now than when the question was asked.
      const quote = await sources.bestQuote(group.question);
      if (quote) mostAsked.push({ question: group.question, count: group.members.length, quote });
    }
  }

  return {
    period: { since: request.since.toISOString(), until: request.until.toISOString() },
    timezone: request.timezone,
    lateFor: request.lateFor ? request.lateFor.toISOString() : null,
    library,
    libraryNotListed,
    mostAsked,
    notFound,
    figures: { questions: questions.length, answered: questions.filter((q) => q.answered).length, ...sources.counts() },
  };
}
