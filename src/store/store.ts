import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../log.js';
import { DigestRuns } from './digest-runs.js';
import { DocumentVersions } from './document-versions.js';
import { migrate } from './migrations.js';
import { SqliteQuestionLog } from './questions.js';
import { Subscriptions } from './subscriptions.js';

/**
 * How long a write waits for another connection's lock. better-sqlite3 is synchronous, so this is
 * also the longest a locked database can hold up an answer before the question log gives up.
 */
export const BUSY_TIMEOUT_MS = 100;

const DATABASE_FILE = 'archivist.db';

/** archivist's SQLite database: question log, feedback, digest subscriptions and runs, document history. */
export class Store {
  /** What the bot logs questions and feedback to (it never throws); the digest reads them back. */
  readonly questionLog: SqliteQuestionLog;
  readonly subscriptions: Subscriptions;
  readonly digestRuns: DigestRuns;
  readonly documentVersions: DocumentVersions;

  constructor(
    readonly db: Database.Database,
    private readonly log: Logger,
  ) {
    this.questionLog = new SqliteQuestionLog(db, log);
    this.subscriptions = new Subscriptions(db);
    this.digestRuns = new DigestRuns(db);
    this.documentVersions = new DocumentVersions(db);
  }

  /**
   * Call after each index build with every indexed document. Returns false (and logs) when the
   * database could not be written: a reindex must not fail over digest bookkeeping.
   */
  recordIndexedDocuments(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): boolean {
    try {
      this.documentVersions.recordIndexed(docs, at);
      return true;
    } catch (error) {
      this.log.warn('indexed documents not recorded for the digest', { error });
      return false;
    }
  }

  close(): void {
    this.db.close();
  }
}

/** Opens (creating and migrating when needed) `archivist.db` in `dataDir`, or the given file. */
export function openStore(options: { dataDir: string; log: Logger; file?: string }): Store {
  const file = options.file ?? path.join(options.dataDir, DATABASE_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL under WAL loses at most the last commits on power loss, never consistency; FULL would
    // add an fsync to every logged question.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new Store(db, options.log);
}
