import type pg from 'pg';

/**
 * Schema steps in order; step i brings the database to version i + 1, recorded in
 * archivist_migrations. One list for the whole database: the records and the library's generations. Steps are only ever appended: an installed database runs the ones it has
 * not seen yet. The tables match the SQLite file's (src/records/sqlite/migrations.ts), with times
 * as timestamptz.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE questions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id text,
    channel_id text,
    user_id text NOT NULL,
    question text NOT NULL,
    answered boolean NOT NULL,
    refs jsonb NOT NULL,
    scores jsonb NOT NULL,
    latency_ms integer NOT NULL,
    asked_at timestamptz NOT NULL
  );
  CREATE INDEX questions_by_time ON questions (asked_at);
  CREATE INDEX questions_by_guild ON questions (guild_id, asked_at);

  CREATE TABLE feedback (
    question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    vote text NOT NULL CHECK (vote IN ('up', 'down')),
    voted_at timestamptz NOT NULL,
    PRIMARY KEY (question_id, user_id)
  );

  CREATE TABLE subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id text NOT NULL UNIQUE,
    channel_id text NOT NULL,
    time text NOT NULL,
    timezone text NOT NULL,
    active boolean NOT NULL,
    origin text NOT NULL CHECK (origin IN ('command', 'env')),
    created_by text,
    schedule_from timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  );

  CREATE TABLE digest_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id bigint NOT NULL REFERENCES subscriptions (id),
    channel_id text NOT NULL,
    local_date text NOT NULL,
    scheduled_for timestamptz NOT NULL,
    late boolean NOT NULL,
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    state text NOT NULL CHECK (state IN ('claimed', 'posted', 'skipped', 'failed')),
    claimed_at timestamptz NOT NULL,
    finished_at timestamptz,
    error text,
    notified_at timestamptz,
    UNIQUE (subscription_id, local_date)
  );
  CREATE INDEX digest_runs_claimed ON digest_runs (claimed_at) WHERE state = 'claimed';

  CREATE TABLE document_versions (
    doc_id text NOT NULL,
    hash text NOT NULL,
    first_seen timestamptz NOT NULL,
    PRIMARY KEY (doc_id, hash)
  );
  CREATE INDEX document_versions_by_time ON document_versions (first_seen);
  `,
  // The library's generations (src/index/pg-generations.ts): each is the files of one generation
  // folder, written in one transaction, so a reader sees a whole generation or none.
  `
  CREATE TABLE library_generations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    manifest jsonb NOT NULL
  );
  CREATE INDEX library_generations_newest ON library_generations (created_at DESC);

  -- Files in chunks of a megabyte: node-postgres reads one 60 MB value three times slower than
  -- sixty 1 MB rows (measured with bench/pg-library.ts). Not compressed: vectors and the graph do
  -- not shrink, and pglz would cost CPU on every write and read.
  CREATE TABLE library_generation_chunks (
    generation_id bigint NOT NULL REFERENCES library_generations (id) ON DELETE CASCADE,
    file text NOT NULL,
    chunk integer NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (generation_id, file, chunk)
  );
  ALTER TABLE library_generation_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
  `,
  // The library as rows (src/index/pg-generations.ts): document versions, content-addressed by
  // (doc_id, hash), and their passages with vectors, shared by every generation that holds them, so
  // publishing a one-page edit writes one document's rows and a reader fetches only those. The
  // generations published as files cannot be read as rows: they go, and the next publish fills the tables.
  `
  DROP TABLE library_generation_chunks;
  DELETE FROM library_generations;

  -- json, not jsonb: never queried inside, stored as written, and it keeps a NUL character that
  -- jsonb refuses (text extracted from a PDF can hold one).
  CREATE TABLE library_documents (
    doc_id text NOT NULL,
    hash text NOT NULL,
    document json NOT NULL,
    PRIMARY KEY (doc_id, hash)
  );

  -- Positions as in passages.json without the label (labels belong to each process's index); the
  -- unit vector as little-endian float32 bytes, one row per passage.
  CREATE TABLE library_passages (
    doc_id text NOT NULL,
    hash text NOT NULL,
    ordinal integer NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    paragraph integer NOT NULL,
    heading_path json NOT NULL,
    anchor text,
    vector bytea NOT NULL,
    PRIMARY KEY (doc_id, hash, ordinal),
    FOREIGN KEY (doc_id, hash) REFERENCES library_documents (doc_id, hash) ON DELETE CASCADE
  );
  -- In the row when it fits (a 512-dim vector is 2 KB, just past the TOAST threshold): a passage is
  -- then one page read, not one plus a TOAST lookup.
  ALTER TABLE library_passages ALTER COLUMN vector SET STORAGE MAIN;

  CREATE TABLE library_generation_documents (
    generation_id bigint NOT NULL REFERENCES library_generations (id) ON DELETE CASCADE,
    doc_id text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (generation_id, doc_id),
    FOREIGN KEY (doc_id, hash) REFERENCES library_documents (doc_id, hash)
  );
  CREATE INDEX library_generation_documents_by_version ON library_generation_documents (doc_id, hash);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Any constant, the same in every process: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 7_318_001;

/**
 * Brings the schema up to date in one transaction, under an advisory lock: processes starting
 * together wait for the first one's migration and then find nothing left to do; a failed step
 * leaves the database as it was.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS archivist_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ current: number | null }>('SELECT max(version) AS current FROM archivist_migrations');
    const current = rows[0]?.current ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(`the database has schema version ${current}, newer than this archivist's ${SCHEMA_VERSION}`);
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version]!);
      await client.query('INSERT INTO archivist_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
