#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { loadConfig } from '../config.js';
import { createLogger, redact } from '../log.js';

/**
 * `npm run start:shards`: one bot process per shard, through discord.js's ShardingManager. It starts
 * the bot (main) once for each of this machine's SHARDS with SHARDS=<id> and SHARD_COUNT set, and
 * restarts a shard's process when it dies. Each process loads its own copy of the library, so this
 * costs one library's memory per shard (one process with SHARDS=0-3 holds it once); the processes
 * share the library and the records through DATABASE_URL, which is therefore required.
 */
const log = createLogger();
try {
  const config = loadConfig();
  const token = config.discordToken;
  if (!token) throw new Error('DISCORD_TOKEN is not set: the shard manager starts the Discord bot');
  redact(token);
  const bot = config.bot;
  if (!config.databaseUrl) {
    throw new Error(
      'the shard manager runs one bot process per shard, and bot processes share the library and the records only through a database: ' +
        'set DATABASE_URL=postgres://…, or run every shard in one process with `npm start` and SHARDS=all',
    );
  }
  // discord.js's own count lookup always asks discord.com; ours honours DISCORD_API_URL.
  const rest = new REST(bot.apiUrl ? { api: bot.apiUrl } : {}).setToken(token);
  const count = bot.shards.mode === 'auto' ? ((await rest.get(Routes.gatewayBot())) as { shards: number }).shards : bot.shards.count;
  const ids = bot.shards.mode === 'auto' ? Array.from({ length: count }, (_, i) => i) : bot.shards.ids;
  const compiled = !import.meta.url.endsWith('.ts');
  const manager = new ShardingManager(fileURLToPath(new URL(compiled ? '../main.js' : '../main.ts', import.meta.url)), {
    token,
    totalShards: count,
    shardList: ids,
    mode: 'process',
    execArgv: compiled ? [] : ['--import', 'tsx'],
  });
  manager.on('shardCreate', (shard) => {
    log.info('shard process started', { shard: shard.id, of: count });
    shard.on('death', (child) => log.warn('shard process exited; restarting it', { shard: shard.id, exitCode: 'exitCode' in child ? child.exitCode : null }));
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping the shard processes', { signal });
    for (const shard of manager.shards.values()) shard.process?.kill(signal);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Each process gets 3 minutes to connect (it opens the records and starts loading the library first).
  await manager.spawn({ timeout: 180_000 });
  log.info('all shard processes connected', { shards: ids.join(','), of: count });
} catch (error) {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
