import type Database from 'better-sqlite3';

/** A document that appeared or changed in a period, per the index builds recorded. */
export interface DocumentChange {
  docId: string;
  kind: 'new' | 'changed';
  /** When the latest version in the period was first indexed. */
  at: Date;
}

/** When each (document, content hash) pair was first indexed: the digest's "new and changed". */
export class DocumentVersions {
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

  /** Records the documents of an index build; versions already known keep their first date. */
  recordIndexed(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): void {
    this.record(docs, at.getTime());
  }

  /** Documents first indexed, or indexed with new content, in [since, until); the most recent first. */
  changesBetween(since: Date, until: Date): DocumentChange[] {
    const rows = this.selectChanges.all({ since: since.getTime(), until: until.getTime() }) as Array<{ docId: string; at: number; existed: number }>;
    return rows.map((row) => ({ docId: row.docId, kind: row.existed ? 'changed' : 'new', at: new Date(row.at) }));
  }
}
