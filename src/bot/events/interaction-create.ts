import { Events } from 'discord.js';
import { describeError } from '../errors.js';
import { botEvent } from './types.js';

/** Slash commands, buttons, autocomplete and message commands, routed to the command that owns them. */
export default botEvent({
  name: Events.InteractionCreate,
  execute({ inFlight, route, log }, interaction) {
    void inFlight.track(route(interaction)).catch((error: unknown) => log.error('interaction handler crashed', describeError(error)));
  },
});
