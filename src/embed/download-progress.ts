/**
 * Reports a model download from transformers.js progress events: a progress bar on a terminal,
 * one log line each at start and end otherwise (logs and CI output stay readable).
 */
import cliProgress from 'cli-progress';
import type { ProgressInfo } from '@huggingface/transformers';

const MB = 1024 * 1024;

export interface DownloadReporter {
  update(info: ProgressInfo): void;
  stop(): void;
}

export function downloadReporter(model: string, cacheDir: string, log: (line: string) => void): DownloadReporter {
  const files = new Map<string, { loaded: number; total: number }>();
  let bar: cliProgress.SingleBar | undefined;
  let started = false;
  const totals = () => {
    let loaded = 0;
    let total = 0;
    for (const f of files.values()) {
      loaded += f.loaded;
      total += f.total;
    }
    return { loaded: loaded / MB, total: total / MB };
  };

  return {
    update(info) {
      if (info.status !== 'progress') return;
      // Files read from the cache or a local folder report only a completed load; a download
      // reports partial progress first.
      if (!started && info.loaded >= info.total) return;
      files.set(info.file, { loaded: info.loaded, total: info.total });
      const { loaded, total } = totals();
      if (!started) {
        started = true;
        if (process.stderr.isTTY) {
          bar = new cliProgress.SingleBar(
            {
              format: `downloading ${model} [{bar}] {percentage}% | {value}/{total} MB`,
              // Values are megabytes; the other fields arrive already formatted.
              formatValue: (v, _options, type) => (type === 'value' || type === 'total' ? Number(v).toFixed(1) : String(v)),
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, loaded);
        } else {
          log(`embedder: downloading ${model} into ${cacheDir} (one time)`);
        }
      }
      bar?.setTotal(total);
      bar?.update(loaded);
    },
    stop() {
      bar?.stop();
      if (started) log(`embedder: downloaded ${model} (${totals().total.toFixed(1)} MB)`);
    },
  };
}
