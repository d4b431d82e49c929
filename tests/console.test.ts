import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

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
