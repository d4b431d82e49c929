import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Which env file a process reads: each case runs in a fresh process, as `.env` is read once.
const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'archivist-config-'));
  writeFileSync(path.join(dir, '.env'), 'TOP_K=7\n');
  writeFileSync(path.join(dir, 'team.env'), 'TOP_K=9\n');
  writeFileSync(path.join(dir, 'print.mts'), `import { loadConfig } from ${JSON.stringify(path.join(ROOT, 'src/config.ts'))};\nprocess.chdir(${JSON.stringify(dir)});\nconsole.log(loadConfig().topK);\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function topK(env: Record<string, string | undefined>): string {
  const childEnv = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, 'print.mts')], { cwd: ROOT, encoding: 'utf8', env: childEnv, timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe('loadConfig', () => {
  it('reads .env in the working directory, with real environment variables winning', () => {
    expect(topK({ ARCHIVIST_ENV_FILE: undefined, TOP_K: undefined })).toBe('7');
    expect(topK({ ARCHIVIST_ENV_FILE: undefined, TOP_K: '4' })).toBe('4');
  });

  it('reads the file ARCHIVIST_ENV_FILE names instead, or none when it is empty', () => {
    expect(topK({ ARCHIVIST_ENV_FILE: 'team.env', TOP_K: undefined })).toBe('9');
    expect(topK({ ARCHIVIST_ENV_FILE: '', TOP_K: undefined })).toBe('3');
  });
});
