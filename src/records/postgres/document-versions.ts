import type pg from 'pg';
import type { DocumentChange, DocumentVersionRecords } from '../document-versions.js';

export class PostgresDocumentVersions implements DocumentVersionRecords {
  constructor(private readonly pool: pg.Pool) {}

  async recordIndexed(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): Promise<void> {
    if (docs.length === 0) return;
    // One statement for the whole build (the Python docs are ~500 documents): one round trip, one transaction.
    await this.pool.query(
      `INSERT INTO document_versions (doc_id, hash, first_seen)
       SELECT doc_id, hash, $3 FROM unnest($1::text[], $2::text[]) AS d (doc_id, hash)
       ON CONFLICT DO NOTHING`,
      [docs.map((d) => d.id), docs.map((d) => d.hash), at],
    );
  }

  async changesBetween(since: Date, until: Date): Promise<DocumentChange[]> {
    const { rows } = await this.pool.query<{ doc_id: string; at: Date; existed: boolean }>(
      `SELECT v.doc_id, max(v.first_seen) AS at,
              EXISTS (SELECT 1 FROM document_versions o WHERE o.doc_id = v.doc_id AND o.first_seen < $1) AS existed
       FROM document_versions v
       WHERE v.first_seen >= $1 AND v.first_seen < $2
       GROUP BY v.doc_id
       ORDER BY at DESC, v.doc_id COLLATE "C"`,
      [since, until],
    );
    return rows.map((row) => ({ docId: row.doc_id, kind: row.existed ? 'changed' : 'new', at: row.at }));
  }
}
