import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  writeFileSync(path.join(dir, 'merged.env'), 'TOP_K=6\nDIGEST_TZ=europe/berlin\nRATE_LIMIT_COUNT=2\nLOG_FORMAT=json\nARCHIVIST_TEST_HOLD_LIBRARY=/tmp/release\n');
  const src = (file: string) => JSON.stringify(path.join(ROOT, 'src', file));
  writeFileSync(
    path.join(dir, 'merged.mts'),
    `import { environment, loadConfig, logSettings, testHooks } from ${src('config.ts')};\n` +
      `import { digestSettings } from ${src('digest/settings.ts')};\n` +
      `import { loadBotConfig } from ${src('bot/bot-config.ts')};\n` +
      `process.chdir(${JSON.stringify(dir)});\n` +
      `const config = loadConfig();\n` +
      `console.log(JSON.stringify({ topK: config.topK, digestZone: digestSettings(environment()).timezone, rateLimit: loadBotConfig(environment()).rateLimit, log: logSettings(), hooks: testHooks() }));\n`,
  );
  writeFileSync(path.join(dir, 'print.mts'), `import { loadConfig } from ${JSON.stringify(path.join(ROOT, 'src/config.ts'))};\nprocess.chdir(${JSON.stringify(dir)});\nconsole.log(loadConfig().topK);\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, env: Record<string, string | undefined>): string {
  const childEnv = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, script)], { cwd: ROOT, encoding: 'utf8', env: childEnv, timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

const topK = (env: Record<string, string | undefined>) => run('print.mts', env);

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

describe('one configuration', () => {
  it('gives every section the settings of .env merged with the environment, the environment winning', () => {
    const out = JSON.parse(run('merged.mts', { ARCHIVIST_ENV_FILE: 'merged.env', TOP_K: undefined, DIGEST_TZ: undefined, RATE_LIMIT_COUNT: '4', RATE_LIMIT_WINDOW_SECONDS: undefined, LOG_FORMAT: undefined, LOG_LEVEL: 'warn', ARCHIVIST_TEST_HOLD_LIBRARY: undefined, ARCHIVIST_TEST_PAUSE_AFTER: undefined }));
    expect(out).toEqual({
      topK: 6,
      digestZone: 'Europe/Berlin',
      rateLimit: { count: 4, windowMs: 30_000 },
      log: { level: 'warn', json: true },
      hooks: { holdLibrary: '/tmp/release' },
    });
  });

  it('is the only module that reads process.env: every other one gets its settings from src/config.ts', () => {
    const readers: string[] = [];
    const walk = (folder: string): void => {
      for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
        const rel = path.posix.join(folder, entry.name);
        if (entry.isDirectory()) walk(rel);
        else if (/\.[cm]?ts$/.test(entry.name) && rel !== 'src/config.ts' && /process\.env\b/.test(readFileSync(path.join(ROOT, rel), 'utf8'))) readers.push(rel);
      }
    };
    walk('src');
    walk('commands');
    expect(readers).toEqual([]);
  });
});
