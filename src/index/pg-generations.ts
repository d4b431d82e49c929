// The library in PostgreSQL as rows (tables in src/records/postgres/migrations.ts, step 3):
//
//   library_documents             one row per document version (doc_id, hash): the Document, text included
//   library_passages              its passages' positions and unit vectors (little-endian float32)
//   library_generations           one row per generation: name, createdAt, manifest
//   library_generation_documents  which version of each document a generation holds
//
// Versions are content-addressed, so generations share them: publishing writes only the versions
// the database does not have (a one-page edit: one document's rows), and a reader fetches only the
// versions its index does not hold. A publish is one transaction (rows, generation, membership,
// clean-up of what no kept generation uses, NOTIFY): a publisher killed before COMMIT leaves nothing
// visible, and every process hears of the generation only once it is whole.

import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Document, Passage } from '../types.js';
import type { FreshDocument } from './patch-indexes.js';
import { readGenerationRecords, type Manifest, type StoredPassage } from './store.js';
import { pauseIfRequested } from './test-pause.js';

/** The channel new generations are announced on; the payload is the generation's name. */
export const LIBRARY_CHANNEL = 'archivist_library';

/** Generations kept in the database: the newest, and two for readers still fetching from an older one. */
const KEEP_GENERATIONS = 3;
/** Passages per INSERT: a few megabytes of hex-encoded vectors per statement. */
const PASSAGE_BATCH = 2000;
/** Document text per INSERT, in characters. */
const DOCUMENT_BATCH_CHARS = 8_000_000;
/** Document versions per read: the Python docs average 62 passages a page, so about 12,000 rows (25 MB of vectors). */
const READ_DOCUMENTS = 200;
/** Any constant, the same in every process: publishes run one at a time. */
const PUBLISH_LOCK = 7_318_002;

export interface PublishedGeneration {
  name: string;
  /** The manifest's createdAt: the newest generation is the one every process serves. */
  createdAt: Date;
}

/** What a publish wrote: the rows the database did not have yet. */
export interface PublishReport {
  generation: string;
  documents: number;
  passages: number;
}

/** What a process's index lacks of the newest generation (see `changesSince`). */
export interface GenerationDifference {
  name: string;
  manifest: Manifest;
  /** Ids of documents the newest generation no longer holds. */
  removed: string[];
  /** Versions the index does not hold, with passages and vectors. */
  fresh: FreshDocument[];
}

/** What a process holds: its manifest's time and document hashes. */
export type HeldLibrary = Pick<Manifest, 'createdAt' | 'documents' | 'splitter' | 'embedder'>;

/** Where generations are shared between processes; PostgreSQL is one implementation. */
export interface GenerationStore {
  newest(): Promise<PublishedGeneration | null>;
  /**
   * Publishes a generation folder unless the database has one as new or newer (then null).
   * Only document versions the database lacks are written.
   */
  publish(generationDir: string): Promise<PublishReport | null>;
  /** The newest generation's difference from `held`, or null when it is not newer than `held`. */
  changesSince(held: HeldLibrary | null): Promise<GenerationDifference | null>;
}

interface VersionKey {
  docId: string;
  hash: string;
}

export class PostgresGenerations implements GenerationStore {
  constructor(private readonly pool: pg.Pool) {}

  async newest(): Promise<PublishedGeneration | null> {
    const { rows } = await this.pool.query<{ name: string; created_at: Date }>(
      `SELECT name, created_at FROM library_generations ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    return rows[0] ? { name: rows[0].name, createdAt: rows[0].created_at } : null;
  }

  async publish(generationDir: string): Promise<PublishReport | null> {
    const records = await readGenerationRecords(generationDir);
    const { manifest } = records;
    const name = generationDir.split(/[\\/]/).pop()!;
    const versions = new Map(records.documents.map((doc) => [doc.id, versionKey(doc.hash, manifest)]));
    const keys = records.documents.map((doc) => ({ docId: doc.id, hash: versions.get(doc.id)! }));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
      const newer = await client.query(`SELECT 1 FROM library_generations WHERE name = $1 OR created_at >= $2 LIMIT 1`, [name, new Date(manifest.createdAt)]);
      if (newer.rowCount) {
        await client.query('ROLLBACK');
        return null;
      }
      const present = await client.query<{ doc_id: string; hash: string }>(
        `SELECT d.doc_id, d.hash FROM library_documents d JOIN unnest($1::text[], $2::text[]) AS k (doc_id, hash) USING (doc_id, hash)`,
        [keys.map((k) => k.docId), keys.map((k) => k.hash)],
      );
      const stored = new Set(present.rows.map((row) => versionId({ docId: row.doc_id, hash: row.hash })));
      const missing = records.documents.filter((doc) => !stored.has(versionId({ docId: doc.id, hash: versions.get(doc.id)! })));
      const passages = await insertVersions(client, missing, versions, records.passages, records.vector, manifest.embedder.dims);
      const { rows } = await client.query<{ id: string }>(`INSERT INTO library_generations (name, created_at, manifest) VALUES ($1, $2, $3) RETURNING id`, [
        name,
        new Date(manifest.createdAt),
        manifest,
      ]);
      await client.query(`INSERT INTO library_generation_documents (generation_id, doc_id, hash) SELECT $1, * FROM unnest($2::text[], $3::text[])`, [
        rows[0]!.id,
        keys.map((k) => k.docId),
        keys.map((k) => k.hash),
      ]);
      await client.query(
        `DELETE FROM library_generations WHERE id NOT IN (SELECT id FROM library_generations ORDER BY created_at DESC, id DESC LIMIT $1)`,
        [KEEP_GENERATIONS],
      );
      await client.query(
        `DELETE FROM library_documents d WHERE NOT EXISTS (SELECT 1 FROM library_generation_documents g WHERE g.doc_id = d.doc_id AND g.hash = d.hash)`,
      );
      // Delivered at COMMIT, and only if it commits.
      await client.query(`SELECT pg_notify($1, $2)`, [LIBRARY_CHANNEL, name]);
      await pauseIfRequested('generation-sent');
      await client.query('COMMIT');
      return { generation: name, documents: missing.length, passages };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async changesSince(held: HeldLibrary | null): Promise<GenerationDifference | null> {
    const client = await this.pool.connect();
    try {
      // One snapshot: the membership and the rows it names, even if a publish cleans up meanwhile.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const newest = await client.query<{ id: string; name: string; manifest: Manifest }>(
        `SELECT id, name, manifest FROM library_generations ORDER BY created_at DESC, id DESC LIMIT 1`,
      );
      const generation = newest.rows[0];
      if (!generation || (held && Date.parse(held.createdAt) >= Date.parse(generation.manifest.createdAt))) {
        await client.query('COMMIT');
        return null;
      }
      const members = await client.query<{ doc_id: string; hash: string }>(`SELECT doc_id, hash FROM library_generation_documents WHERE generation_id = $1`, [
        generation.id,
      ]);
      const heldDocs = held?.documents ?? {};
      const wanted = members.rows.filter((row) => !Object.hasOwn(heldDocs, row.doc_id) || versionKey(heldDocs[row.doc_id]!.hash, held!) !== row.hash);
      const kept = new Set(members.rows.map((row) => row.doc_id));
      const removed = Object.keys(heldDocs).filter((id) => !kept.has(id));
      const fresh: FreshDocument[] = [];
      // In slices: node-postgres holds a whole result in memory, and a library's vectors travel as hex text.
      for (let from = 0; from < wanted.length; from += READ_DOCUMENTS) {
        const keys = wanted.slice(from, from + READ_DOCUMENTS).map((row) => ({ docId: row.doc_id, hash: row.hash }));
        fresh.push(...(await readVersions(client, keys, generation.manifest.embedder.dims)));
      }
      await client.query('COMMIT');
      return { name: generation.name, manifest: generation.manifest, removed, fresh };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * What a document version is stored under: the hash of its text together with the splitter and the
 * embedder that made its passages and vectors. The same text cut or embedded otherwise (a new
 * SPLITTER_VERSION, another model) is another version, written again and fetched again by readers.
 */
function versionKey(hash: string, made: Pick<Manifest, 'splitter' | 'embedder'>): string {
  return createHash('sha256').update(`${hash}\u0000${made.splitter ?? ''}\u0000${made.embedder.id}`).digest('hex');
}

function versionId({ docId, hash }: VersionKey): string {
  return `${docId}\u0000${hash}`;
}

/** Inserts documents and their passages with vectors, in batches, under their version keys (`versions`, by document id); returns the passages written. */
async function insertVersions(
  client: pg.PoolClient,
  documents: Document[],
  versions: ReadonlyMap<string, string>,
  passages: StoredPassage[],
  vector: (label: number) => Float32Array | undefined,
  dims: number,
): Promise<number> {
  const rowBytes = dims * 4;
  for (let from = 0; from < documents.length; ) {
    let to = from;
    for (let chars = 0; to < documents.length && (to === from || chars + documents[to]!.text.length <= DOCUMENT_BATCH_CHARS); to++) chars += documents[to]!.text.length;
    const batch = documents.slice(from, to);
    await client.query(`INSERT INTO library_documents (doc_id, hash, document) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])`, [
      batch.map((doc) => doc.id),
      batch.map((doc) => versions.get(doc.id)!),
      batch.map((doc) => JSON.stringify(doc)),
    ]);
    from = to;
  }
  const hashes = new Map(documents.map((doc) => [doc.id, versions.get(doc.id)!]));
  const rows = passages.filter((passage) => hashes.has(passage.docId));
  for (let from = 0; from < rows.length; from += PASSAGE_BATCH) {
    const batch = rows.slice(from, from + PASSAGE_BATCH);
    // One binary parameter for the batch's vectors, cut into rows by the server: an array of
    // bytea would travel as hex text, twice the bytes and parsed on both sides.
    const vectors = Buffer.alloc(batch.length * rowBytes);
    batch.forEach((passage, i) => {
      const row = vector(passage.label);
      if (row?.byteLength !== rowBytes) throw new Error(`no stored vector for passage ${passage.docId}:${passage.ordinal}`);
      vectors.set(new Uint8Array(row.buffer, row.byteOffset, rowBytes), i * rowBytes);
    });
    await client.query(
      `INSERT INTO library_passages (doc_id, hash, ordinal, start, "end", paragraph, heading_path, anchor, vector)
       SELECT doc_id, hash, ordinal, start, "end", paragraph, heading_path, anchor, substring($9::bytea FROM ((n - 1) * $10 + 1)::int FOR $10::int)
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::json[], $8::text[])
              WITH ORDINALITY AS x (doc_id, hash, ordinal, start, "end", paragraph, heading_path, anchor, n)`,
      [
        batch.map((p) => p.docId),
        batch.map((p) => hashes.get(p.docId)!),
        batch.map((p) => p.ordinal),
        batch.map((p) => p.start),
        batch.map((p) => p.end),
        batch.map((p) => p.paragraph),
        batch.map((p) => JSON.stringify(p.headingPath)),
        batch.map((p) => p.anchor ?? null),
        vectors,
        rowBytes,
      ],
    );
  }
  return rows.length;
}

/** The versions' documents, passages (in order) and vectors. */
async function readVersions(client: pg.PoolClient, keys: VersionKey[], dims: number): Promise<FreshDocument[]> {
  if (keys.length === 0) return [];
  const params = [keys.map((k) => k.docId), keys.map((k) => k.hash)];
  const docs = await client.query<{ document: Document }>(
    `SELECT d.document FROM library_documents d JOIN unnest($1::text[], $2::text[]) AS k (doc_id, hash) USING (doc_id, hash)`,
    params,
  );
  if (docs.rows.length !== keys.length) throw new Error(`${keys.length - docs.rows.length} document versions of the newest generation are not in the database`);
  const passages = await client.query<{ doc_id: string; ordinal: number; start: number; end: number; paragraph: number; heading_path: string[]; anchor: string | null; vector: Buffer }>(
    `SELECT p.doc_id, p.ordinal, p.start, p."end", p.paragraph, p.heading_path, p.anchor, p.vector
       FROM library_passages p JOIN unnest($1::text[], $2::text[]) AS k (doc_id, hash) USING (doc_id, hash)
      ORDER BY p.doc_id, p.ordinal`,
    params,
  );
  const byDoc = new Map<string, typeof passages.rows>();
  for (const row of passages.rows) {
    const list = byDoc.get(row.doc_id);
    if (list) list.push(row);
    else byDoc.set(row.doc_id, [row]);
  }
  return docs.rows.map(({ document: doc }) => {
    const rows = byDoc.get(doc.id) ?? [];
    const vectors = new Float32Array(rows.length * dims);
    const passageList = rows.map((row, i): Passage => {
      if (row.vector.length !== dims * 4) throw new Error(`passage ${doc.id}:${row.ordinal} has a ${row.vector.length / 4}-dim vector, expected ${dims}`);
      // Copied through bytes: the Buffer's offset need not be aligned for a Float32Array view.
      new Uint8Array(vectors.buffer, i * dims * 4, dims * 4).set(row.vector);
      const passage: Passage = {
        ref: `${doc.id}:${row.ordinal}`,
        docId: doc.id,
        ordinal: row.ordinal,
        start: row.start,
        end: row.end,
        text: doc.text.slice(row.start, row.end),
        paragraph: row.paragraph,
        headingPath: row.heading_path,
      };
      if (row.anchor !== null) passage.anchor = row.anchor;
      return passage;
    });
    return { doc, passages: passageList, vectors };
  });
}
