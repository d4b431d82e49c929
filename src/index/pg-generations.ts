// The library's generations in PostgreSQL, beside the folder store (store.ts): a generation is
// published as its folder's files in one transaction that also NOTIFYs every listening process, so
// a reader sees a whole generation or none, and an indexer killed mid-write leaves nothing behind.
// Readers write the newest generation into their own index folder the way a local build would
// (temp folder, fsync, rename, CURRENT swapped by a rename), and the library they serve picks it up
// from there (Library.follow): each process keeps HNSW and BM25 in memory, loaded, not re-embedded.

import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Manifest } from './store.js';
import { pauseIfRequested } from './test-pause.js';

/** The channel new generations are announced on; the payload is the generation's name. */
export const LIBRARY_CHANNEL = 'archivist_library';

/** Generations kept in the database: the newest, and two for readers still copying an older one. */
const KEEP_GENERATIONS = 3;
/** Rows of a megabyte: see the chunks table in src/records/postgres/migrations.ts. */
const CHUNK_BYTES = 1 << 20;

export interface PublishedGeneration {
  name: string;
  /** The manifest's createdAt: the newest generation is the one every process serves. */
  createdAt: Date;
}

/** Where generations are shared between processes; PostgreSQL is one implementation. */
export interface GenerationStore {
  newest(): Promise<PublishedGeneration | null>;
  /** Publishes a generation folder's files as one generation; false when one of that name is already there. */
  publish(generationDir: string): Promise<boolean>;
  /** Writes the generation's files into `intoDir` (which must not exist yet). */
  copyOut(name: string, intoDir: string): Promise<void>;
}

export class PostgresGenerations implements GenerationStore {
  constructor(private readonly pool: pg.Pool) {}

  async newest(): Promise<PublishedGeneration | null> {
    const { rows } = await this.pool.query<{ name: string; created_at: Date }>(
      `SELECT name, created_at FROM library_generations ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    return rows[0] ? { name: rows[0].name, createdAt: rows[0].created_at } : null;
  }

  async publish(generationDir: string): Promise<boolean> {
    const name = path.basename(generationDir);
    const files = (await fs.readdir(generationDir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
    const manifest = JSON.parse(await fs.readFile(path.join(generationDir, 'manifest.json'), 'utf8')) as Manifest;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO library_generations (name, created_at, manifest) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING id`,
        [name, new Date(manifest.createdAt), manifest],
      );
      const id = inserted.rows[0]?.id;
      if (id === undefined) {
        await client.query('ROLLBACK');
        return false;
      }
      // One file in memory at a time: a large library's vectors are tens of megabytes.
      for (const file of files) {
        const bytes = await fs.readFile(path.join(generationDir, file));
        for (let chunk = 0; chunk * CHUNK_BYTES < bytes.length || chunk === 0; chunk++) {
          await client.query(`INSERT INTO library_generation_chunks (generation_id, file, chunk, bytes) VALUES ($1, $2, $3, $4)`, [
            id,
            file,
            chunk,
            bytes.subarray(chunk * CHUNK_BYTES, (chunk + 1) * CHUNK_BYTES),
          ]);
        }
      }
      await client.query(
        `DELETE FROM library_generations WHERE id NOT IN (SELECT id FROM library_generations ORDER BY created_at DESC, id DESC LIMIT $1)`,
        [KEEP_GENERATIONS],
      );
      // Delivered at COMMIT, and only if it commits.
      await client.query(`SELECT pg_notify($1, $2)`, [LIBRARY_CHANNEL, name]);
      await pauseIfRequested('generation-sent');
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async copyOut(name: string, intoDir: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      // One snapshot for every file, even if a publish deletes this generation meanwhile.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ id: string; file: string }>(
        `SELECT DISTINCT g.id, c.file FROM library_generation_chunks c JOIN library_generations g ON g.id = c.generation_id WHERE g.name = $1 ORDER BY c.file`,
        [name],
      );
      if (!rows.some((row) => row.file === 'manifest.json')) throw new Error(`generation ${name} is not in the database`);
      await fs.mkdir(intoDir);
      for (const { id, file } of rows) {
        // Text results: node-postgres's binary mode returns bytea as a string once the query has parameters.
        const { rows: chunks } = await client.query<{ bytes: Buffer }>(
          `SELECT bytes FROM library_generation_chunks WHERE generation_id = $1 AND file = $2 ORDER BY chunk`,
          [id, file],
        );
        const handle = await fs.open(path.join(intoDir, file), 'w');
        try {
          for (const { bytes } of chunks) await handle.write(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
