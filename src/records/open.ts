import type { Logger } from '../log.js';
import type { Records } from './records.js';

/**
 * The records where the configuration puts them: PostgreSQL when `databaseUrl` is set (several
 * processes or machines), else `archivist.db` in `dataDir`. Each driver is loaded only when used.
 */
export async function openRecords(options: { dataDir: string; databaseUrl?: string; log: Logger }): Promise<Records> {
  if (options.databaseUrl) {
    const { openPostgresRecords } = await import('./postgres/open.js');
    return openPostgresRecords({ url: options.databaseUrl, log: options.log });
  }
  const { openSqliteRecords } = await import('./sqlite/open.js');
  return openSqliteRecords({ dataDir: options.dataDir, log: options.log });
}
