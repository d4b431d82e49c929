import type { Logger } from '../log.js';
import type { DigestRunRecords } from './digest-runs.js';
import type { DocumentVersionRecords } from './document-versions.js';
import type { QuestionRecords } from './question-log.js';
import type { SubscriptionRecords } from './subscriptions.js';

/**
 * Everything archivist records besides the library: the question log and feedback, digest
 * subscriptions and runs, and document history. A SQLite file (one machine) or PostgreSQL (many
 * processes) holds it; both pass the same contract tests (tests/store-contract.test.ts).
 */
export interface Records {
  /** What the bot logs questions and feedback to (it never rejects); the digest reads them back. */
  readonly questionLog: QuestionRecords;
  readonly subscriptions: SubscriptionRecords;
  readonly digestRuns: DigestRunRecords;
  readonly documentVersions: DocumentVersionRecords;
  /**
   * Call after each index build with every indexed document. Resolves to false (and logs) when
   * the database could not be written: a reindex must not fail over digest bookkeeping.
   */
  recordIndexedDocuments(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): Promise<boolean>;
  close(): Promise<void>;
}

/** `Records.recordIndexedDocuments` for either backend: a failure is logged, never thrown. */
export async function recordIndexed(
  versions: DocumentVersionRecords,
  log: Logger,
  docs: ReadonlyArray<{ id: string; hash: string }>,
  at: Date,
): Promise<boolean> {
  try {
    await versions.recordIndexed(docs, at);
    return true;
  } catch (error) {
    log.warn('indexed documents not recorded for the digest', { error });
    return false;
  }
}
