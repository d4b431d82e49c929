/**
 * Worker thread that reads PDFs: pdf.js parses on the thread that calls it, and a long PDF takes
 * seconds, so reading here keeps the bot's event loop free while a folder is indexed.
 */
import { parentPort } from 'node:worker_threads';
import type { Parsed } from './builder.js';
import { extractPdf } from './pdf-extract.js';
import { layoutPdf } from './pdf-layout.js';

export interface PdfRequest {
  id: number;
  bytes: Uint8Array;
}
export type PdfReply = { id: number; parsed: Parsed; pages: number } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: PdfRequest) => {
    extractPdf(request.bytes)
      .then((content) => ({ id: request.id, parsed: layoutPdf(content).parsed, pages: content.pages.length }) satisfies PdfReply)
      .catch((error: unknown) => ({ id: request.id, error: error instanceof Error ? error.message : String(error) }) satisfies PdfReply)
      .then((reply) => port.postMessage(reply));
  });
}
