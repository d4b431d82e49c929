import cliProgress from 'cli-progress';
import { formatDuration } from '../format/duration.js';

export interface Progress {
  /** Total done so far. */
  update(done: number): void;
  /** Removes the bar (call it on failure too, or the terminal keeps a hidden cursor). */
  stop(): void;
}

/** Seconds between plain progress lines: often enough to show life in a CI log, rare enough not to flood it. */
const LINE_INTERVAL_MS = 10_000;

/**
 * Embedding progress: a bar on an interactive terminal, otherwise a log line every few seconds
 * (a bar's carriage returns make a mess of log files and systemd journals).
 */
export function startProgress(total: number, options: { bar: boolean; log: (line: string) => void }): Progress {
  if (options.bar && process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: 'embedding [{bar}] {value}/{total} passages | {percentage}% | eta {eta_formatted}', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const started = Date.now();
  let lastLine = started;
  return {
    update(done) {
      const now = Date.now();
      if (now - lastLine < LINE_INTERVAL_MS || done >= total || done <= 0) return;
      lastLine = now;
      // At the rate so far: embedding speed is steady once the model is warm.
      const left = ((now - started) / done) * (total - done);
      const rounded = left < 60_000 ? left : Math.round(left / 60_000) * 60_000;
      options.log(`embedded ${done}/${total} passages (${Math.floor((100 * done) / total)}%), about ${formatDuration(rounded)} left`);
    },
    stop: () => undefined,
  };
}
