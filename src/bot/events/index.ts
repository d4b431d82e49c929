import clientReady from './client-ready.js';
import { debug, error, shardDisconnect, shardReady, shardReconnecting, shardResume, warn } from './gateway.js';
import interactionCreate from './interaction-create.js';
import messageCreate from './message-create.js';
import type { BotEvent, EventDeps } from './types.js';

/** Every gateway event the bot handles, one handler each. */
export const EVENTS: BotEvent[] = [
  clientReady,
  interactionCreate,
  messageCreate,
  error,
  warn,
  shardDisconnect,
  shardReconnecting,
  shardResume,
  shardReady,
  debug,
] as BotEvent[];

/** Registers every handler on the client. */
export function registerEvents(deps: EventDeps, events: BotEvent[] = EVENTS): void {
  for (const event of events) {
    const listener = (...args: unknown[]) => (event.execute as (deps: EventDeps, ...args: unknown[]) => void)(deps, ...args);
    if (event.once) deps.client.once(event.name, listener);
    else deps.client.on(event.name, listener);
  }
}
