/**
 * Reads PDFs on a worker thread (see pdf-worker.ts). One worker serves every caller, started at the
 * first PDF; it keeps the process alive only while it has work, so a CLI run ends when it is done.
 */
import { Worker } from 'node:worker_threads';
import type { Parsed } from './builder.js';
import type { PdfReply, PdfRequest } from './pdf-worker.js';

interface Waiter {
  resolve: (result: { parsed: Parsed; pages: number }) => void;
  reject: (error: Error) => void;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Waiter>();

/**
 * Under tsx or vitest this module is TypeScript, and so is the worker: Node 20 does not apply
 * `--import` loaders to worker threads, so it is started from a script that registers tsx first.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pdf-worker.js', import.meta.url));
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./pdf-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const started = startWorker();
  started.on('message', (reply: PdfReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if ('error' in reply) waiter?.reject(new Error(reply.error));
    else waiter?.resolve({ parsed: reply.parsed, pages: reply.pages });
    if (pending.size === 0) started.unref();
  });
  // A worker that dies (out of memory on a hostile file) fails what it was reading; the next PDF starts a new one.
  const failAll = (error: Error) => {
    if (worker === started) worker = undefined;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  started.on('error', failAll);
  started.on('exit', (code) => failAll(new Error(`the PDF reader stopped (exit code ${code})`)));
  worker = started;
  return started;
}

/** The text and structure of a PDF, or an error whose message says what is wrong with the file. */
export function readPdf(bytes: Uint8Array): Promise<{ parsed: Parsed; pages: number }> {
  const reader = ensureWorker();
  const id = nextId++;
  // A copy is transferred: pdf.js takes over the buffer it is given.
  const copy = Uint8Array.from(bytes);
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    reader.ref();
    reader.postMessage({ id, bytes: copy } satisfies PdfRequest, [copy.buffer]);
  });
}
