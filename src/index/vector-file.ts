// vectors.f32: one little-endian float32 row of `dims` values per label. An opened index does not
// keep it in memory (the graph holds every vector already); search reads the few rows it needs,
// updates read it whole.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';

/**
 * Reads `stored` rows into a new array of `rows` rows; the rows past the stored ones stay zero,
 * ready for new labels.
 */
export async function readVectorFile(file: string, dims: number, stored: number, rows = stored): Promise<Float32Array> {
  if (rows < stored) throw new Error(`cannot read ${stored} stored vectors into ${rows} rows`);
  const vectors = new Float32Array(rows * dims);
  // Read straight into the array's bytes: no second copy of the file in memory.
  const bytes = new Uint8Array(vectors.buffer, 0, stored * dims * 4);
  const handle = await fs.open(file, 'r');
  try {
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, offset);
      if (bytesRead === 0) throw new Error(`${file} ends after ${offset} bytes, expected ${bytes.length}`);
      offset += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return vectors;
}

/**
 * Single rows of vectors.f32, read on demand: 2–3 µs per 512-dim row from the page cache, where
 * hnswlib's getPoint takes about 35. The file is opened at the first read and closed when the
 * current task ends, so no descriptor is held between queries, nor on a generation a newer one has
 * deleted.
 */
export class VectorRows {
  private fd: number | null = null;
  private gone = false;

  constructor(
    private readonly file: string,
    private readonly dims: number,
  ) {}

  /** Row `label`, or undefined once the file cannot be read (a newer generation removed it). */
  row(label: number): Float32Array | undefined {
    if (this.gone) return undefined;
    const row = new Float32Array(this.dims);
    try {
      if (fsSync.readSync(this.open(), row, 0, row.byteLength, label * row.byteLength) === row.byteLength) return row;
    } catch {
      this.gone = true;
    }
    return undefined;
  }

  private open(): number {
    if (this.fd === null) {
      const fd = fsSync.openSync(this.file, 'r');
      this.fd = fd;
      // A query reads its rows synchronously, in one task: one open serves them all.
      setImmediate(() => {
        this.fd = null;
        fsSync.closeSync(fd);
      });
    }
    return this.fd;
  }
}
