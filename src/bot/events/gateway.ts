import { Events } from 'discord.js';
import { describeError } from '../errors.js';
import { botEvent } from './types.js';

// The client's own reports and the gateway's connection states, logged.

export const error = botEvent({
  name: Events.Error,
  execute: ({ log }, failure) => log.error('discord client error', describeError(failure)),
});

export const warn = botEvent({
  name: Events.Warn,
  execute: ({ log }, message) => log.warn('discord client warning', { message }),
});

export const shardDisconnect = botEvent({
  name: Events.ShardDisconnect,
  execute: ({ log }, event, shard) => log.warn('gateway disconnected', { shard, code: event.code }),
});

export const shardReconnecting = botEvent({
  name: Events.ShardReconnecting,
  execute: ({ log }, shard) => log.info('gateway reconnecting', { shard }),
});

export const shardResume = botEvent({
  name: Events.ShardResume,
  execute: ({ log }, shard, replayed) => log.info('gateway session resumed', { shard, replayed }),
});

export const shardReady = botEvent({
  name: Events.ShardReady,
  execute: ({ log }, shard) => log.info('gateway session ready', { shard }),
});

/** discord.js logs the first two parts of the token at login: never pass that on. */
export const debug = botEvent({
  name: Events.Debug,
  execute: ({ log }, message) => log.debug(message.replace(/Provided token: \S+/g, 'Provided token: [redacted]')),
});
