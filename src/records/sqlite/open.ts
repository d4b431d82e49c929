import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../log.js';
import { recordIndexed, type Records } from '../records.js';
import { SqliteDigestRuns } from './digest-runs.js';
import { SqliteDocumentVersions } from './document-versions.js';
import { migrate } from './migrations.js';
import { SqliteQuestionLog } from './questions.js';
import { SqliteSubscriptions } from './subscriptions.js';

/**
 * How long a write waits for another connection's lock. better-sqlite3 is synchronous, so this is
 * also the longest a locked database can hold up an answer before the question log gives up.
 */
export const BUSY_TIMEOUT_MS = 100;

const DATABASE_FILE = 'archivist.db';

/** The records in one SQLite file: for one machine, any number of processes on it. */
export class SqliteRecords implements Records {
  readonly questionLog: SqliteQuestionLog;
  readonly subscriptions: SqliteSubscriptions;
  readonly digestRuns: SqliteDigestRuns;
  readonly documentVersions: SqliteDocumentVersions;

  constructor(
    readonly db: Database.Database,
    private readonly log: Logger,
  ) {
    this.questionLog = new SqliteQuestionLog(db, log);
    this.subscriptions = new SqliteSubscriptions(db);
    this.digestRuns = new SqliteDigestRuns(db);
    this.documentVersions = new SqliteDocumentVersions(db);
  }

  recordIndexedDocuments(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): Promise<boolean> {
    return recordIndexed(this.documentVersions, this.log, docs, at);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Opens (creating and migrating when needed) `archivist.db` in `dataDir`, or the given file. */
export function openSqliteRecords(options: { dataDir: string; log: Logger; file?: string }): SqliteRecords {
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
  return new SqliteRecords(db, options.log);
}
