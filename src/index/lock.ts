import fs from 'node:fs/promises';
import path from 'node:path';

const LOCK_FILE = 'write.lock';
/** Index folders this process is writing right now: a lock file naming our own pid is stale otherwise (pid reuse after a crash, e.g. pid 1 in a container). */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The index folder is being written by another build (in this process or another). */
export class IndexLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(`another index build (pid ${pid}) is writing ${path.dirname(lockFile)}; wait for it to finish, or delete ${lockFile} if that process is gone`);
    this.name = 'IndexLockedError';
  }
}

/** The pid of the live process writing `indexDir`, or null when none is (no lock, or a stale one). */
export async function lockHolder(indexDir: string): Promise<number | null> {
  const dir = path.resolve(indexDir);
  const pid = Number((await fs.readFile(path.join(dir, LOCK_FILE), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const held = pid === process.pid ? heldHere.has(dir) : isAlive(pid);
  return held ? pid : null;
}

/**
 * Makes this process the only writer of `indexDir` (generation folders, CURRENT and `.partial/`):
 * two concurrent builds would otherwise delete each other's work. A lock left by a killed process
 * is taken over. Returns the release function.
 */
export async function acquireWriteLock(indexDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(indexDir);
  const file = path.join(dir, LOCK_FILE);
  await fs.mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      heldHere.add(dir);
      return async () => {
        heldHere.delete(dir);
        await fs.rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await lockHolder(dir);
    if (holder !== null) throw new IndexLockedError(holder, file);
    await fs.rm(file, { force: true });
  }
  throw new Error(`could not take the write lock ${file}`);
}
