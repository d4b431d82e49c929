// Without DATABASE_URL, one bot process per data folder (src/records/bot-process.ts), with real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotAlreadyRunningError, claimBotProcess } from '../src/records/bot-process.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A process that has claimed `dataDir`. */
async function holder(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'helpers', 'bot-process-child.ts'), dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('claimed') && resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before claiming`)));
  });
  return child;
}

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-bot-process-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'data');
}

describe('one bot process per data folder without DATABASE_URL', () => {
  it('a second process is refused with a message saying why and what to do', async () => {
    const dir = dataDir();
    const first = await holder(dir);
    const refused = await claimBotProcess(dir).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(BotAlreadyRunningError);
    expect((refused as Error).message).toContain(`another archivist bot (pid ${first.pid}) is already running with the data folder ${dir}`);
    expect((refused as Error).message).toMatch(/DATABASE_URL=postgres/);
  });

  it('the claim of a process killed with SIGKILL is taken over; one that exits cleanly removes its file', async () => {
    const dir = dataDir();
    const killed = await holder(dir);
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(existsSync(path.join(dir, 'bot.pid'))).toBe(true); // no exit handler ran
    const next = await holder(dir);
    next.stdin!.end();
    await new Promise((resolve) => next.once('exit', resolve));
    expect(existsSync(path.join(dir, 'bot.pid'))).toBe(false);
  });
});
