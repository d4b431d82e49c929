// Resuming an interrupted build. Embedding is by far the slowest step (minutes on a CPU for a large
// corpus), so while a build runs it saves each embedded document's vectors in `<indexDir>/.partial/`,
// one file per document named after a digest of its id and content hash. A build that is killed
// (Ctrl-C, SIGKILL, power loss) leaves those files behind; the next build reuses every file whose
// document is unchanged and embeds only the rest. The folder is deleted once a generation is live.
// It never affects the live index, and deleting it by hand only costs re-embedding.

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Document } from '../types.js';

const FOLDER = '.partial';
const META = 'meta.json';

/** What the saved vectors depend on besides the document: the model and how passages were cut. */
export interface CheckpointKey {
  embedderId: string;
  dims: number;
  maxChars: number;
  splitter: string;
}

export class Checkpoints {
  private constructor(private readonly dir: string, private readonly dims: number) {}

  /** Opens the folder, discarding it when it was written for another embedder, passage size or splitter. */
  static async open(indexDir: string, key: CheckpointKey): Promise<Checkpoints> {
    const dir = path.join(indexDir, FOLDER);
    const meta = JSON.stringify(key);
    const existing = await fs.readFile(path.join(dir, META), 'utf8').catch(() => null);
    if (existing !== meta) {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, META), meta);
    }
    return new Checkpoints(dir, key.dims);
  }

  /** Saved vectors for `doc` (rows in passage order), or null when there are none or they do not fit. */
  async read(doc: Document, passages: number): Promise<Float32Array | null> {
    const bytes = await fs.readFile(this.fileFor(doc)).catch(() => null);
    if (!bytes || bytes.byteLength !== passages * this.dims * 4) return null;
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  /**
   * Saves via temp file + rename so a kill mid-write leaves no half file under the real name. No
   * fsync: a file truncated by a power cut fails the size check in `read` and is simply re-embedded.
   */
  async write(doc: Document, vectors: Float32Array): Promise<void> {
    const file = this.fileFor(doc);
    await fs.writeFile(`${file}.tmp`, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    await fs.rename(`${file}.tmp`, file);
  }

  async clear(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** Deletes checkpoints without opening them (when a build finds nothing to embed). */
  static async clear(indexDir: string): Promise<void> {
    await fs.rm(path.join(indexDir, FOLDER), { recursive: true, force: true });
  }

  private fileFor(doc: Document): string {
    // The id is part of the key: the same bytes at two paths can get different titles, hence different embedding text.
    const digest = createHash('sha256').update(`${doc.id}\0${doc.hash}`).digest('hex').slice(0, 32);
    return path.join(this.dir, `${digest}.f32`);
  }
}
