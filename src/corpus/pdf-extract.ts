/**
 * Reads a PDF's text layer with Mozilla's pdf.js: per page, the lines of text in the order the page
 * draws them, with their position and font size, and the document outline with the page each
 * entry points at. Layout (paragraphs, headings, running headers) is pdf-layout.ts's job.
 */
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

export interface PdfLine {
  text: string;
  /** Left edge, right edge and baseline, in PDF points from the page's bottom left. */
  x: number;
  end: number;
  y: number;
  /** Font size of the line's largest text, in points. */
  size: number;
  /** Whether all of the line is set in a monospaced font (code). */
  mono: boolean;
}

export interface PdfPage {
  /** 1-based page number. */
  number: number;
  lines: PdfLine[];
}

export interface OutlineEntry {
  title: string;
  /** 1 for a top-level entry. */
  level: number;
  /** 1-based page the entry points at; undefined when its destination cannot be resolved. */
  page?: number;
}

export interface PdfContent {
  /** The document's own title (its Info dictionary), when it gives one. */
  title?: string;
  pages: PdfPage[];
  outline: OutlineEntry[];
}

/** A PDF that cannot be read, with a message short enough to show a user next to the file's name. */
export class PdfError extends Error {}

export async function extractPdf(bytes: Uint8Array): Promise<PdfContent> {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!file.subarray(0, 1024).includes('%PDF-')) throw new PdfError('not a PDF file');
  // pdf.js rebuilds what it can of a cut file; indexing a part of it as if whole would be a quiet loss.
  if (!file.subarray(-1024).includes('%%EOF')) throw new PdfError('truncated PDF: the file ends before its end marker');
  const task = getDocument({
    data: bytes,
    // Text only: no fonts to load, no scripts, no network, nothing logged on the console.
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy();
    throw openError(err);
  }
  try {
    const pages: PdfPage[] = [];
    for (let number = 1; number <= doc.numPages; number++) pages.push(await readPage(doc, number));
    const info = (await doc.getMetadata().catch(() => undefined))?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' && info.Title.trim() !== '' ? info.Title.trim() : undefined;
    return { title, pages, outline: await readOutline(doc) };
  } catch (err) {
    throw new PdfError(`damaged PDF: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await doc.destroy();
  }
}

function openError(err: unknown): PdfError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return new PdfError('encrypted PDF: it needs a password to open');
  if (name === 'InvalidPDFException') return new PdfError('damaged or truncated PDF: no readable page structure');
  return new PdfError(`damaged PDF: ${err instanceof Error ? err.message : String(err)}`);
}

async function readPage(doc: PDFDocumentProxy, number: number): Promise<PdfPage> {
  const page = await doc.getPage(number);
  const content = await page.getTextContent();
  const items = content.items.filter((item): item is TextItem => 'str' in item);
  const mono = new Set(Object.entries(content.styles).filter(([, style]) => style.fontFamily === 'monospace').map(([name]) => name));
  page.cleanup();
  return { number, lines: toLines(items, mono) };
}

/**
 * Items in drawing order, joined into lines: a line ends where the next item's baseline moves by
 * more than half a font size (sub- and superscripts stay on their line). A gap wider than a fifth
 * of the font size between two items is a space the PDF left implicit.
 */
function toLines(items: TextItem[], monoFonts: Set<string>): PdfLine[] {
  const lines: PdfLine[] = [];
  let line: PdfLine | undefined;
  for (const item of items) {
    const [, , c = 0, d = 0, x = 0, y = 0] = item.transform as number[];
    const size = Math.hypot(c, d);
    if (item.str === '') continue;
    const blank = item.str.trim() === '';
    if (line && Math.abs(y - line.y) <= Math.max(1, Math.min(size || line.size, line.size) / 2) && x >= line.x - 1) {
      const gap = x - line.end;
      if (blank || (gap > 0.2 * Math.max(size, 1) && !line.text.endsWith(' '))) line.text += ' ';
      if (!blank) {
        line.text += item.str;
        line.size = Math.max(line.size, size);
        line.mono &&= monoFonts.has(item.fontName);
      }
      line.end = Math.max(line.end, x + item.width);
      continue;
    }
    if (blank) continue;
    line = { text: item.str, x, y, size, mono: monoFonts.has(item.fontName), end: x + item.width };
    lines.push(line);
  }
  return lines
    .map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ').trim() }))
    .filter((l) => l.text !== '');
}

async function readOutline(doc: PDFDocumentProxy): Promise<OutlineEntry[]> {
  const outline = await doc.getOutline().catch(() => null);
  const entries: OutlineEntry[] = [];
  type Node = { title: string; dest: string | unknown[] | null; items: Node[] };
  const visit = async (nodes: Node[], level: number): Promise<void> => {
    for (const node of nodes) {
      entries.push({ title: node.title.replace(/\s+/g, ' ').trim(), level, page: await destinationPage(doc, node.dest) });
      await visit(node.items, level + 1);
    }
  };
  await visit((outline ?? []) as Node[], 1);
  return entries;
}

async function destinationPage(doc: PDFDocumentProxy, dest: string | unknown[] | null): Promise<number | undefined> {
  try {
    const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : dest;
    const target = explicit?.[0];
    if (typeof target === 'number') return target + 1;
    if (target && typeof target === 'object') return (await doc.getPageIndex(target as Parameters<PDFDocumentProxy['getPageIndex']>[0])) + 1;
  } catch {
    // An outline entry pointing nowhere still names a section; it just cannot be placed.
  }
  return undefined;
}
