import { Events } from 'discord.js';
import { syncGuildCommands } from '../command-registry.js';
import { describeError } from '../errors.js';
import { botEvent } from './types.js';

/** Connected: with DISCORD_GUILD_ID, the server's commands are brought in line with commands/. */
export default botEvent({
  name: Events.ClientReady,
  once: true,
  execute({ log, bot, commands, connected }, ready) {
    log.info('connected to Discord', { user: ready.user.tag, id: ready.user.id, guilds: ready.guilds.cache.size, commands: commands.size });
    if (bot.guildId) {
      syncGuildCommands({ rest: ready.rest, applicationId: ready.application.id, guildId: bot.guildId, commands: commands.values(), log }).catch(
        (error: unknown) => log.error('could not sync the guild commands', { guild: bot.guildId, ...describeError(error) }),
      );
    }
    connected();
  },
});
