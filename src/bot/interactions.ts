import { randomBytes } from 'node:crypto';
import { ApplicationCommandType, DiscordAPIError, type Interaction, type RepliableInteraction } from 'discord.js';
import type { Command, CommandContext } from './context.js';
import { LibraryUnavailableError, UserError, describeError } from './errors.js';
import { tellUser } from './replies.js';

/** Discord error codes after which there is no point trying to tell the user anything. */
const GONE = new Set([10062 /* unknown interaction */, 40060 /* already acknowledged */, 10015 /* unknown webhook */]);

export const SHUTTING_DOWN = 'The bot is restarting; please try again in a moment.';

/**
 * Routes interactions to the commands: slash commands and autocomplete by command name, buttons by the
 * first segment of their custom_id. Every failure ends as a short ephemeral message; nothing escapes.
 */
export function createInteractionRouter(options: {
  commands: Map<string, Command>;
  ctx: CommandContext;
  stopping: () => boolean;
}): (interaction: Interaction) => Promise<void> {
  const { commands, ctx, stopping } = options;
  const log = ctx.log;

  const fail = async (interaction: RepliableInteraction, error: unknown, what: string) => {
    if (error instanceof DiscordAPIError && typeof error.code === 'number' && GONE.has(error.code)) {
      log.warn(`${what}: the interaction can no longer be answered`, { interaction: interaction.id, code: error.code });
      return;
    }
    let text: string;
    if (error instanceof UserError || error instanceof LibraryUnavailableError) {
      text = error.message;
    } else {
      const errorId = randomBytes(3).toString('hex');
      log.error(`${what} failed`, { interaction: interaction.id, user: interaction.user.id, errorId, ...describeError(error) });
      text = `Something went wrong (error ${errorId}); please try again. If it keeps happening, tell the team the error code.`;
    }
    try {
      await tellUser(interaction, text);
    } catch (again) {
      log.warn('could not tell the user about an error', { interaction: interaction.id, ...describeError(again) });
    }
  };

  return async (interaction) => {
    if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      try {
        if (stopping() || !command?.autocomplete) {
          await interaction.respond([]);
          return;
        }
        await command.autocomplete(interaction, ctx);
      } catch (error) {
        if (!(error instanceof LibraryUnavailableError)) log.warn('autocomplete failed', { command: interaction.commandName, ...describeError(error) });
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      }
      return;
    }
    if (!interaction.isRepliable()) return;
    if (stopping()) {
      await tellUser(interaction, SHUTTING_DOWN).catch(() => undefined);
      return;
    }
    if (interaction.isChatInputCommand()) {
      const command = commands.get(interaction.commandName);
      if (!command) {
        log.warn('unknown command', { command: interaction.commandName });
        await fail(interaction, new UserError('This command is not available any more.'), 'command');
        return;
      }
      try {
        await command.execute(interaction, ctx);
      } catch (error) {
        await fail(interaction, error, `/${interaction.commandName}`);
      }
      return;
    }
    if (interaction.isMessageContextMenuCommand()) {
      // "Add to library" and the like: by command name too, to a command registered as a message command.
      const command = commands.get(interaction.commandName);
      if (!command || (command.data.toJSON() as { type?: number }).type !== ApplicationCommandType.Message) {
        await fail(interaction, new UserError('This command is not available any more.'), 'context menu');
        return;
      }
      try {
        await command.execute(interaction, ctx);
      } catch (error) {
        await fail(interaction, error, `"${interaction.commandName}"`);
      }
      return;
    }
    if (interaction.isMessageComponent()) {
      const owner = interaction.customId.split(':', 1)[0]!;
      const command = commands.get(owner);
      if (!command?.handleComponent) {
        await fail(interaction, new UserError('This button is no longer active.'), 'button');
        return;
      }
      try {
        await command.handleComponent(interaction, ctx);
      } catch (error) {
        await fail(interaction, error, `button ${owner}`);
      }
      return;
    }
    if (interaction.isCommand()) await fail(interaction, new UserError('This kind of command is not supported.'), 'command');
  };
}
