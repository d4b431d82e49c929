import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './discord-double/bot-process.js';
import { startDiscordDouble, type DiscordDouble } from './discord-double/index.js';

/** `npm run deploy-commands` (here through tsx): registration with nothing but the token. */

/** Runs the script asynchronously: the double lives in this process and must keep answering. */
function deploy(double: DiscordDouble, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/deploy-commands.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ARCHIVIST_ENV_FILE: '', DISCORD_TOKEN: double.token, DISCORD_API_URL: double.apiUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

describe('deploy-commands', () => {
  let double: DiscordDouble;
  beforeAll(async () => {
    double = await startDiscordDouble();
  });
  afterAll(async () => {
    await double?.close();
  });

  it('registers every command file globally, finding the application id from the token', async () => {
    const run = await deploy(double, {});
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Registered \d+ commands \(.*\/ask.*\) — global/);
    // A context-menu command is named as its menu shows it, not as a slash command.
    expect(run.stdout).toContain('Add to library (message menu)');
    expect(run.stdout).not.toContain('/Add to library');
    const global = double.commands.get('global')!.map((c) => c.name);
    expect(global).toEqual(expect.arrayContaining(['ask', 'source', 'status', 'reindex']));
    expect(double.requests.some((r) => r.method === 'GET' && r.path === '/applications/@me' && r.authorized)).toBe(true);
    expect(double.violations).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(double.token);
  });

  it('registers in one guild when DISCORD_GUILD_ID is set', async () => {
    const run = await deploy(double, { DISCORD_GUILD_ID: double.guildId });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`guild ${double.guildId}`);
    const ask = double.commands.get(double.guildId)!.find((c) => c.name === 'ask')!;
    expect(ask.options.map((o: { name: string }) => o.name)).toEqual(['question', 'results', 'private']);
  });

  it('fails clearly without a token, and with a wrong one', async () => {
    const missing = await deploy(double, { DISCORD_TOKEN: '' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('DISCORD_TOKEN is not set');
    const wrong = await deploy(double, { DISCORD_TOKEN: 'not.the.token-at-all' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).not.toContain('not.the.token-at-all');
  });
});
