import { existsSync } from 'node:fs';
import { testHooks } from '../config.js';
import type { Logger } from '../log.js';

/** How often a held start looks for the release file. */
const POLL_MS = 50;

/**
 * Test-only hook: with `ARCHIVIST_TEST_HOLD_LIBRARY=<file>` the bot logs `library held` once the
 * library is open and serves it only when that file exists, so a test can send questions that
 * surely arrive while the library is loading, then release it. Without the variable it does nothing.
 */
export async function holdIfRequested(log: Logger): Promise<void> {
  const file = testHooks().holdLibrary;
  if (!file) return;
  log.info('library held', { until: file });
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
