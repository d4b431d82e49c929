import type { LibraryApi } from '../library-api.js';
import type { CommandContext } from './context.js';
import { LibraryUnavailableError, describeError } from './errors.js';

/**
 * How often a question waiting for the library looks at the build's progress. The first look is
 * one interval in: a library that loads (or an index that builds) quickly shows nothing at all.
 */
const PROGRESS_EVERY_MS = 5000;

export function progressText(progress: { documents: number; total: number }): string {
  return `Building the index: ${progress.documents} of ${progress.total} documents. Your question will be answered here as soon as it is ready.`;
}

/**
 * The library, waiting for it when it is still loading (after a restart the bot takes questions
 * before its index is open). While a first build runs, `show` is called every few seconds with its
 * progress; the last call has finished when this returns, so the answer is never overwritten by it.
 */
export async function waitForLibrary(ctx: CommandContext, show: (text: string) => Promise<unknown>): Promise<LibraryApi> {
  try {
    return ctx.library();
  } catch (error) {
    if (!(error instanceof LibraryUnavailableError) || !ctx.libraryLoaded) throw error;
  }
  let shown = '';
  let showing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    const progress = ctx.buildProgress?.();
    const text = progress ? progressText(progress) : '';
    if (!text || text === shown) return;
    shown = text;
    showing = showing.then(() => show(text)).catch((error: unknown) => ctx.log.warn('could not show the index build progress', describeError(error)));
  }, PROGRESS_EVERY_MS);
  try {
    return await ctx.libraryLoaded();
  } finally {
    clearInterval(timer);
    await showing;
  }
}
