import pg from 'pg';
import { redact, type Logger } from '../../log.js';
import { recordIndexed, type Records } from '../records.js';
import { PostgresDigestRuns } from './digest-runs.js';
import { PostgresDocumentVersions } from './document-versions.js';
import { migrate } from './migrations.js';
import { PostgresQuestionLog } from './questions.js';
import { PostgresSubscriptions } from './subscriptions.js';

/** A bot process needs few connections: its writes are single statements, and most wait on Discord. */
const POOL_SIZE = 5;
/** How long start-up, or a query, waits for a connection before reporting the database unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

/** The records in PostgreSQL, shared by every bot, indexer and CLI process pointed at the database. */
export class PostgresRecords implements Records {
  readonly questionLog: PostgresQuestionLog;
  readonly subscriptions: PostgresSubscriptions;
  readonly digestRuns: PostgresDigestRuns;
  readonly documentVersions: PostgresDocumentVersions;

  constructor(
    readonly pool: pg.Pool,
    private readonly log: Logger,
  ) {
    this.questionLog = new PostgresQuestionLog(pool, log);
    this.subscriptions = new PostgresSubscriptions(pool);
    this.digestRuns = new PostgresDigestRuns(pool);
    this.documentVersions = new PostgresDocumentVersions(pool);
  }

  recordIndexedDocuments(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): Promise<boolean> {
    return recordIndexed(this.documentVersions, this.log, docs, at);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The URL without its password, for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Connects to `url` (postgres://user:password@host:port/database) and brings the schema up to date. */
export async function openPostgresRecords(options: { url: string; log: Logger }): Promise<PostgresRecords> {
  const location = describeDatabaseUrl(options.url);
  redact(passwordOf(options.url));
  const pool = new pg.Pool({ connectionString: options.url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection the server dropped (a restart, a failover) is reported here, not thrown.
  pool.on('error', (error) => options.log.warn('PostgreSQL connection lost; the next query reconnects', { error: error.message }));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not open the records in PostgreSQL at ${location}: ${reason}`, { cause: error });
  }
  return new PostgresRecords(pool, options.log);
}
