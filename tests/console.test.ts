import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { until } from './helpers/until.js';

const root = path.resolve(import.meta.dirname, '..');
const indexDir = mkdtempSync(path.join(os.tmpdir(), 'archivist-console-'));
afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

it('npm start without DISCORD_TOKEN opens a console that answers, looks up sources and says how to connect Discord', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, DISCORD_TOKEN: '', DOCS_DIR: path.join(root, 'seeds'), INDEX_DIR: indexDir, EMBEDDING_MODEL: 'bundled', LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stdin.write('What did Yoon Suk Yeol call North Korea’s deployment?\n');
  child.stdin.write('/source\n');
  child.stdin.write('/source nope:1\n');
  child.stdin.write('What is the weather in Paris tomorrow?\n');
  child.stdin.end('\n'.repeat(2001) + 'x'.repeat(1200) + '\n');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  expect(stdout).toContain('set DISCORD_TOKEN');
  expect(stdout).toContain('provocation that threatens global security');
  expect(stdout).toContain('wilson-center-forced-displacement:1');
  expect(stdout).toContain('Unknown ref "nope:1"');
  expect(stdout).toContain('Not found in the library');
  expect(stdout).toContain('the limit is 1000');
}, 60_000);

/** The console as `npm start` runs it, its stdin kept open: only /quit can end it. */
function startConsole(options: { terminal: boolean }) {
  const env = { ...process.env, DISCORD_TOKEN: '', DOCS_DIR: path.join(root, 'seeds'), INDEX_DIR: indexDir, EMBEDDING_MODEL: 'bundled', LOG_LEVEL: 'warn' };
  const argv = [process.execPath, '--import', 'tsx', path.join(root, 'src/main.ts')];
  // `script` (util-linux, in every Debian) gives the console a real terminal: readline then runs in raw mode.
  const child = options.terminal
    ? spawn('script', ['-q', '-e', '-c', argv.map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd: root, env })
    : spawn(argv[0]!, argv.slice(1), { cwd: root, env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => stdout, prompts: () => stdout.split('ask> ').length - 1 };
}

for (const terminal of [false, true]) {
  it(`/quit ends the console at once (${terminal ? 'in a terminal' : 'piped input'}), with no prompt after it and nothing answered after it`, async () => {
    const session = startConsole({ terminal });
    const enter = terminal ? '\r' : '\n';
    await until('the first prompt', () => session.prompts() >= 1, 60_000);
    session.child.stdin.write(`What did Yoon Suk Yeol call North Korea’s deployment?${enter}`);
    await until('the answer and the next prompt', () => session.output().includes('provocation') && session.prompts() >= 2, 60_000);
    session.child.stdin.write(`/quit${enter}What is the weather in Paris tomorrow?${enter}`);
    // stdin stays open: before the fix the console printed another prompt and kept running.
    expect(await session.exited).toBe(0);
    expect(session.prompts()).toBe(2);
    expect(session.output()).not.toContain('Not found in the library');
  }, 90_000);
}
