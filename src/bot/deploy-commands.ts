#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { REST } from 'discord.js';
import { environment } from '../config.js';
import { createLogger, redact, type Logger } from '../log.js';
import { loadBotConfig } from './bot-config.js';
import { commandBodies, fetchApplicationId, registerCommands } from './command-registry.js';
import { loadCommands } from './commands-loader.js';

/**
 * `npm run deploy-commands`: registers the slash commands in commands/ for one guild
 * (DISCORD_GUILD_ID, instant) or globally. Needs only DISCORD_TOKEN; DISCORD_API_URL is honoured.
 */
export async function deployCommands(options: { env: NodeJS.ProcessEnv; log?: Logger }): Promise<{ scope: string; names: string[] }> {
  const { env } = options;
  const log = options.log ?? createLogger();
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) throw new Error('DISCORD_TOKEN is not set: it is needed to register the commands');
  redact(token);
  const bot = loadBotConfig(env);
  const rest = new REST(bot.apiUrl ? { api: bot.apiUrl } : {}).setToken(token);
  const applicationId = await fetchApplicationId(rest);
  const commands = await loadCommands(log);
  const bodies = commandBodies(commands.values());
  const registered = await registerCommands(rest, applicationId, bodies, bot.guildId);
  const scope = bot.guildId ? `guild ${bot.guildId}` : 'global (may take up to an hour to appear)';
  // Slash commands as typed (`/ask`); context-menu commands by the name their menu shows.
  const names = registered.map((command) => (command.type === undefined || command.type === 1 ? `/${String(command.name)}` : `${String(command.name)} (message menu)`));
  log.info('commands registered', { scope, application: applicationId, commands: names.join(',') });
  return { scope, names };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const log = createLogger();
  deployCommands({ env: environment(), log }).then(
    ({ scope, names }) => {
      process.stdout.write(`Registered ${names.length} commands (${names.join(', ')}) — ${scope}\n`);
    },
    (error: unknown) => {
      log.error('registering commands failed', { error: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
    },
  );
}
