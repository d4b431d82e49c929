import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiscordDouble } from './double.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BotProcess {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr/stdout line matching `pattern`, counting from `from` characters. */
  waitForOutput(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  tempDir: string;
}

/**
 * Starts the real bot (`node --import tsx src/main.ts`) against the double, with the docs in `docsDir`,
 * a fresh index and data folder, and the bundled embedder. Resolves once it logs that it is serving
 * (or, with `readyPattern`, another line: a cold-start test starts asking before the library is in).
 * `entry` starts another entry point instead of src/main.ts (the shard manager).
 */
export async function startBotProcess(
  double: DiscordDouble,
  options: { docsDir: string; env?: Record<string, string>; readyTimeoutMs?: number; readyPattern?: RegExp; entry?: string },
): Promise<BotProcess> {
  const tempDir = mkdtempSync(path.join(tmpdir(), 'archivist-bot-e2e-'));
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) if (process.env[key]) env[key] = process.env[key];
  Object.assign(env, {
    DISCORD_TOKEN: double.token,
    DISCORD_API_URL: double.apiUrl,
    DISCORD_GUILD_ID: double.guildId,
    DOCS_DIR: options.docsDir,
    INDEX_DIR: path.join(tempDir, 'index'),
    DATA_DIR: path.join(tempDir, 'data'),
    MODEL_CACHE_DIR: path.join(tempDir, 'models'),
    EMBEDDING_MODEL: 'bundled',
    HF_HUB_OFFLINE: '1',
    ARCHIVIST_OFFLINE: '1',
    NODE_ENV: 'test',
    ARCHIVIST_ENV_FILE: '',
    ...options.env,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let done = false;
  void exited.then(() => (done = true));

  const waitForOutput = async (pattern: RegExp, timeoutMs = 30_000, from = 0): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = (err + out).slice(from);
      const line = text.split('\n').find((l) => pattern.test(l));
      if (line) return line;
      if (done) throw new Error(`bot exited before logging ${pattern}:\n${err.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`bot did not log ${pattern} within ${timeoutMs} ms:\n${err.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) => {
    if (!done) child.kill(signal);
    const timer = setTimeout(() => {
      if (!done) child.kill('SIGKILL');
    }, timeoutMs);
    const result = await exited;
    clearTimeout(timer);
    rmSync(tempDir, { recursive: true, force: true });
    return result;
  };

  const handle: BotProcess = { child, stdout: () => out, stderr: () => err, waitForOutput, stop, exited, tempDir };
  try {
    await waitForOutput(options.readyPattern ?? /archivist bot is serving/, options.readyTimeoutMs ?? 150_000);
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
  return handle;
}
