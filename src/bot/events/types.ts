import type { Client, ClientEvents, Interaction } from 'discord.js';
import type { Logger } from '../../log.js';
import type { BotConfig } from '../bot-config.js';
import type { Command, CommandContext } from '../context.js';
import type { InFlight } from '../in-flight.js';

/** What the event handlers share: the running bot's parts, as `runBot` builds them. */
export interface EventDeps {
  client: Client;
  log: Logger;
  bot: BotConfig;
  ctx: CommandContext;
  commands: Map<string, Command>;
  /** Work in flight, which a shutdown lets finish. */
  inFlight: InFlight;
  route(interaction: Interaction): Promise<void>;
  /** True once a shutdown has begun: no new work is taken. */
  stopping(): boolean;
  /** Called once the gateway's READY has arrived. */
  connected(): void;
}

/** One gateway event's handler, one per file (the discord.js guide's layout). */
export interface BotEvent<K extends keyof ClientEvents = keyof ClientEvents> {
  name: K;
  once?: boolean;
  execute(deps: EventDeps, ...args: ClientEvents[K]): void;
}

/** Types a handler against its event's arguments. */
export function botEvent<K extends keyof ClientEvents>(event: BotEvent<K>): BotEvent<K> {
  return event;
}
