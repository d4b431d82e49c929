import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './discord-double/bot-process.js';
import { startDiscordDouble, type DiscordDouble } from './discord-double/index.js';

/** `npm run deploy-commands` (here through tsx): registration with nothing but the token. */

function deploy(double: DiscordDouble, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/bot/deploy-commands.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DISCORD_TOKEN: double.token, DISCORD_API_URL: double.apiUrl, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('deploy-commands', () => {
  let double: DiscordDouble;
  beforeAll(async () => {
    double = await startDiscordDouble();
  });
  afterAll(async () => {
    await double?.close();
  });

  it('registers every command file globally, finding the application id from the token', () => {
    const run = deploy(double, {});
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Registered \d+ commands \(.*\/ask.*\) — global/);
    const global = double.commands.get('global')!.map((c) => c.name);
    expect(global).toEqual(expect.arrayContaining(['ask', 'source', 'status', 'reindex']));
    expect(double.requests.some((r) => r.method === 'GET' && r.path === '/applications/@me' && r.authorized)).toBe(true);
    expect(double.violations).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(double.token);
  });

  it('registers in one guild when DISCORD_GUILD_ID is set', () => {
    const run = deploy(double, { DISCORD_GUILD_ID: double.guildId });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`guild ${double.guildId}`);
    const ask = double.commands.get(double.guildId)!.find((c) => c.name === 'ask')!;
    expect(ask.options.map((o: { name: string }) => o.name)).toEqual(['question', 'results', 'private']);
  });

  it('fails clearly without a token, and with a wrong one', () => {
    const missing = deploy(double, { DISCORD_TOKEN: '' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('DISCORD_TOKEN is not set');
    const wrong = deploy(double, { DISCORD_TOKEN: 'not.the.token-at-all' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).not.toContain('not.the.token-at-all');
  });
});
