import type Database from 'better-sqlite3';
import type { DocumentChange, DocumentVersionRecords } from '../document-versions.js';

/** When each (document, content hash) pair was first indexed: the digest's "new and changed". */
export class SqliteDocumentVersions implements DocumentVersionRecords {
  private readonly record: (docs: ReadonlyArray<{ id: string; hash: string }>, at: number) => void;
  private readonly selectChanges: Database.Statement;

  constructor(db: Database.Database) {
    const insert = db.prepare(`INSERT INTO document_versions (doc_id, hash, first_seen) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`);
    this.record = db.transaction((docs: ReadonlyArray<{ id: string; hash: string }>, at: number) => {
      for (const doc of docs) insert.run(doc.id, doc.hash, at);
    });
    this.selectChanges = db.prepare(
      `SELECT v.doc_id AS docId, MAX(v.first_seen) AS at,
              EXISTS (SELECT 1 FROM document_versions o WHERE o.doc_id = v.doc_id AND o.first_seen < @since) AS existed
       FROM document_versions v
       WHERE v.first_seen >= @since AND v.first_seen < @until
       GROUP BY v.doc_id
       ORDER BY at DESC, v.doc_id`,
    );
  }

  async recordIndexed(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): Promise<void> {
    this.record(docs, at.getTime());
  }

  async changesBetween(since: Date, until: Date): Promise<DocumentChange[]> {
    const rows = this.selectChanges.all({ since: since.getTime(), until: until.getTime() }) as Array<{ docId: string; at: number; existed: number }>;
    return rows.map((row) => ({ docId: row.docId, kind: row.existed ? 'changed' : 'new', at: new Date(row.at) }));
  }
}
