import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, type Logger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/store.js';

/** A logger that keeps its lines for assertions instead of printing them. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level: 'debug', json: true, write: (line) => lines.push(line) }), { lines });
}

/** A fresh data folder; `open()` opens another connection to the same database file. */
export function tempStore(log: Logger = memoryLogger()): { dir: string; file: string; store: Store; open(): Store; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-store-'));
  const opened: Store[] = [];
  const open = () => {
    const store = openStore({ dataDir: dir, log });
    opened.push(store);
    return store;
  };
  const store = open();
  return {
    dir,
    file: path.join(dir, 'archivist.db'),
    store,
    open,
    cleanup() {
      for (const s of opened) if (s.db.open) s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
