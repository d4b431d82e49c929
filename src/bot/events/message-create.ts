import { Events } from 'discord.js';
import { describeError } from '../errors.js';
import { handleMention } from '../mentions.js';
import { botEvent } from './types.js';

/** A message that mentions the bot is a question. */
export default botEvent({
  name: Events.MessageCreate,
  execute({ client, ctx, inFlight, log, stopping }, message) {
    if (stopping() || message.author.bot || !client.user || !message.mentions.users.has(client.user.id)) return;
    void inFlight.track(handleMention(message, ctx)).catch((error: unknown) => log.error('mention handler crashed', describeError(error)));
  },
});
