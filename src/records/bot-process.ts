import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

const PID_FILE = 'bot.pid';

/** Another bot process serves from the same data folder, without a database they could share. */
export class BotAlreadyRunningError extends Error {
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(
      `another archivist bot (pid ${pid}) is already running with the data folder ${dataDir}. Without DATABASE_URL, one bot process ` +
        `serves a data folder: a second one would answer every question twice and keep its own index. Stop the other one, or set ` +
        `DATABASE_URL=postgres://… in both so that they share the library and the records.`,
    );
    this.name = 'BotAlreadyRunningError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes this the only bot process on `dataDir` (used when there is no DATABASE_URL): writes
 * `bot.pid`, or throws BotAlreadyRunningError while the process it names lives. A file left by a
 * killed process is taken over. The file is removed when this process exits, however it exits.
 */
export async function claimBotProcess(dataDir: string): Promise<void> {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, PID_FILE);
  await fs.mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      process.once('exit', () => rmSync(file, { force: true }));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new BotAlreadyRunningError(pid, dir);
    await fs.rm(file, { force: true });
  }
  throw new Error(`could not claim ${file}`);
}
