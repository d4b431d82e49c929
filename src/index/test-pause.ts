import { testHooks } from '../config.js';

/** Points in an index build where a crash test can freeze the writer before killing it. */
/** `generation-sent`: a generation's rows are in PostgreSQL, its transaction not yet committed (pg-generations.ts). */
export type PauseStage = 'checkpoint' | 'files-written' | 'generation-renamed' | 'current-swapped' | 'generation-sent';

/**
 * Test-only hook: with `ARCHIVIST_TEST_PAUSE_AFTER=<stage>` the build prints `paused after <stage>`
 * on stderr and then waits forever, so a test can SIGKILL it at a known point instead of racing a
 * timer. Without the variable it does nothing.
 */
export async function pauseIfRequested(stage: PauseStage): Promise<void> {
  if (testHooks().pauseAfter !== stage) return;
  process.stderr.write(`paused after ${stage}\n`);
  // A pending promise alone would let Node exit; the interval keeps the process alive until it is killed.
  await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}
