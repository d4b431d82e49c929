import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger, type Logger } from '../../src/log.js';
import { openPostgresRecords } from '../../src/records/postgres/open.js';
import type { Records } from '../../src/records/records.js';
import { openSqliteRecords, type SqliteRecords } from '../../src/records/sqlite/open.js';

/** A logger that keeps its lines for assertions instead of printing them. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level: 'debug', json: true, write: (line) => lines.push(line) }), { lines });
}

/** A fresh data folder; `open()` opens another connection to the same database file. */
export function tempSqliteRecords(log: Logger = memoryLogger()): { dir: string; file: string; records: SqliteRecords; open(): SqliteRecords; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-records-'));
  const opened: SqliteRecords[] = [];
  const open = () => {
    const records = openSqliteRecords({ dataDir: dir, log });
    opened.push(records);
    return records;
  };
  const records = open();
  return {
    dir,
    file: path.join(dir, 'archivist.db'),
    records,
    open,
    cleanup() {
      for (const r of opened) if (r.db.open) r.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The PostgreSQL server the tests use: TEST_DATABASE_URL, which .ci/run sets after starting a
 * cluster (.ci/postgres). Outside CI its absence skips the PostgreSQL tests; in CI it fails them.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
if (!TEST_DATABASE_URL && process.env.CI === 'true') {
  throw new Error('CI=true but TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and exports it; the PostgreSQL tests may not be skipped in CI');
}
export const POSTGRES_SKIPPED = 'skipped: TEST_DATABASE_URL is not set (start one with `.ci/postgres start DIR` and export the URL it prints)';

/** A database of its own on the test server, dropped at cleanup; its URL is what a child process is given. */
export async function tempPostgresDatabase(): Promise<{ url: string; cleanup(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error(POSTGRES_SKIPPED);
  const name = `archivist_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async cleanup() {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** One place the records can live, as the contract tests see it. */
export interface RecordsBackend {
  name: 'SQLite' | 'PostgreSQL';
  skip: string | false;
  /**
   * Fresh, empty records. `open()` is another connection (another process's view) to the same
   * records; `target` is what a child process opens (a data folder, or a database URL).
   */
  create(log?: Logger): Promise<{ records: Records; open(): Promise<Records>; target: string; cleanup(): Promise<void> }>;
}

export const BACKENDS: RecordsBackend[] = [
  {
    name: 'SQLite',
    skip: false,
    async create(log = memoryLogger()) {
      const t = tempSqliteRecords(log);
      return { records: t.records, open: async () => t.open(), target: t.dir, cleanup: async () => t.cleanup() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: TEST_DATABASE_URL ? false : POSTGRES_SKIPPED,
    async create(log = memoryLogger()) {
      const db = await tempPostgresDatabase();
      const opened: Records[] = [];
      const open = async () => {
        const records = await openPostgresRecords({ url: db.url, log });
        opened.push(records);
        return records;
      };
      const records = await open();
      return {
        records,
        open,
        target: db.url,
        async cleanup() {
          for (const r of opened) await r.close().catch(() => undefined);
          await db.cleanup();
        },
      };
    },
  },
];
