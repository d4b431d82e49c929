import mammoth from 'mammoth';
import type { Parsed } from './builder.js';
import { parseHtml } from './html.js';

/**
 * A Word file (.docx) through mammoth, which turns its styles into HTML (headings, lists, tables),
 * then the HTML reader: one way to structure text for both. Images are left out.
 */
export async function readDocx(raw: Buffer): Promise<Parsed> {
  let result: { value: string; messages: Array<{ type: string; message: string }> };
  try {
    result = await mammoth.convertToHtml({ buffer: raw }, { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) });
  } catch (err) {
    // mammoth reports a file that is not a Word file by its zip library's words.
    throw new Error(`not a readable Word file: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseHtml(`<!doctype html><html><body>${result.value}</body></html>`);
}
