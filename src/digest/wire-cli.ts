import type { Config } from '../config.js';
import { sayWaitingForWriter } from '../format/terminal.js';
import { openLibrary } from '../library.js';
import type { Logger } from '../log.js';
import { openRecords } from '../records/open.js';
import { runDigestCli } from './cli.js';
import { librarySources } from './sources.js';

/** `archivist digest`: opens the records and the library, prints the digest, closes both. */
export async function runDigestFromCli(options: { since?: string; json: boolean; config: Config; log: Logger }): Promise<number> {
  const { config, log } = options;
  const settings = config.digest;
  const records = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
  try {
    const library = await openLibrary({ config, log, onWaitForWriter: sayWaitingForWriter(config.indexDir), announceEmbedder: false });
    try {
      return await runDigestCli({ since: options.since, json: options.json }, { records, sources: librarySources(() => library), timezone: settings.timezone });
    } finally {
      await library.close();
    }
  } finally {
    await records.close();
  }
}
