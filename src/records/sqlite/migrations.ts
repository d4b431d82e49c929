import type Database from 'better-sqlite3';

/**
 * Schema steps in order; step i brings the database to `user_version` i + 1. Steps are only ever
 * appended: an installed database replays the ones it has not seen yet.
 * Times are epoch milliseconds so that period queries are plain integer comparisons.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    guild_id TEXT,
    channel_id TEXT,
    user_id TEXT NOT NULL,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    refs TEXT NOT NULL,
    scores TEXT NOT NULL,
    latency_ms INTEGER NOT NULL,
    asked_at INTEGER NOT NULL
  );
  CREATE INDEX questions_by_time ON questions (asked_at);
  CREATE INDEX questions_by_guild ON questions (guild_id, asked_at);

  CREATE TABLE feedback (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    voted_at INTEGER NOT NULL,
    PRIMARY KEY (question_id, user_id)
  );

  CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    guild_id TEXT NOT NULL UNIQUE,
    channel_id TEXT NOT NULL,
    time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    active INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('command', 'env')),
    created_by TEXT,
    schedule_from INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE digest_runs (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    channel_id TEXT NOT NULL,
    local_date TEXT NOT NULL,
    scheduled_for INTEGER NOT NULL,
    late INTEGER NOT NULL,
    period_start INTEGER NOT NULL,
    period_end INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'posted', 'skipped', 'failed')),
    claimed_at INTEGER NOT NULL,
    finished_at INTEGER,
    error TEXT,
    notified_at INTEGER,
    UNIQUE (subscription_id, local_date)
  );

  CREATE TABLE document_versions (
    doc_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (doc_id, hash)
  );
  CREATE INDEX document_versions_by_time ON document_versions (first_seen);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema up to date; IMMEDIATE so two processes opening a new file do not both migrate. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(`the database has schema version ${current}, newer than this archivist's ${SCHEMA_VERSION}`);
    }
    for (let version = current; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
