/** A document that appeared or changed in a period, per the index builds recorded. */
export interface DocumentChange {
  docId: string;
  kind: 'new' | 'changed';
  /** When the latest version in the period was first indexed. */
  at: Date;
}

/** When each (document, content hash) pair was first indexed: the digest's "new and changed". */
export interface DocumentVersionRecords {
  /** Records the documents of an index build; versions already known keep their first date. */
  recordIndexed(docs: ReadonlyArray<{ id: string; hash: string }>, at: Date): Promise<void>;
  /** Documents first indexed, or indexed with new content, in [since, until); the most recent first. */
  changesBetween(since: Date, until: Date): Promise<DocumentChange[]>;
}
