import { Routes, type REST } from 'discord.js';
import type { Logger } from '../log.js';
import type { Command } from './context.js';

type Json = Record<string, unknown>;

/** The application id, which only needs the token: /applications/@me, else /oauth2/applications/@me. */
export async function fetchApplicationId(rest: REST): Promise<string> {
  try {
    const app = (await rest.get(Routes.currentApplication())) as { id: string };
    return app.id;
  } catch (error) {
    const app = (await rest.get(Routes.oauth2CurrentApplication()).catch(() => {
      throw error;
    })) as { id: string };
    return app.id;
  }
}

export function commandBodies(commands: Iterable<Command>): Json[] {
  return [...commands].map((command) => command.data.toJSON() as Json);
}

const isSet = (value: unknown) => value !== undefined && value !== null;

function normalizeOptions(options: unknown): Json[] {
  if (!Array.isArray(options)) return [];
  return options.map((raw: Json) => {
    const out: Json = {
      type: raw.type,
      name: raw.name,
      description: raw.description ?? '',
      required: Boolean(raw.required),
      autocomplete: Boolean(raw.autocomplete),
    };
    for (const key of ['min_value', 'max_value', 'min_length', 'max_length', 'name_localizations', 'description_localizations']) {
      if (isSet(raw[key])) out[key] = raw[key];
    }
    if (Array.isArray(raw.choices) && raw.choices.length > 0) {
      out.choices = raw.choices.map((c: Json) => ({ name: c.name, value: c.value }));
    }
    if (Array.isArray(raw.channel_types) && raw.channel_types.length > 0) out.channel_types = [...raw.channel_types].sort();
    const nested = normalizeOptions(raw.options);
    if (nested.length > 0) out.options = nested;
    return out;
  });
}

/**
 * The parts of a command that registration sets. Discord fills in defaults (nsfw: false,
 * integration_types, contexts...), so optional fields are only compared when the local command sets them.
 */
function normalize(command: Json, local: Json | undefined): Json {
  const out: Json = {
    type: command.type ?? 1,
    name: command.name,
    description: command.description ?? '',
    default_member_permissions: command.default_member_permissions ?? null,
    nsfw: Boolean(command.nsfw),
    options: normalizeOptions(command.options),
  };
  for (const key of ['contexts', 'integration_types', 'name_localizations', 'description_localizations']) {
    if (local && isSet(local[key])) out[key] = command[key] ?? null;
  }
  return out;
}

/** Whether the registered commands are exactly the local ones (names, options, permissions). */
export function sameCommands(local: Json[], remote: Json[]): boolean {
  if (local.length !== remote.length) return false;
  const byName = new Map(remote.map((command) => [command.name, command]));
  return local.every((command) => {
    const other = byName.get(command.name);
    return other !== undefined && JSON.stringify(normalize(command, command)) === JSON.stringify(normalize(other, command));
  });
}

/** Registers the commands in one guild (instant) or globally (bulk overwrite). */
export async function registerCommands(rest: REST, applicationId: string, bodies: Json[], guildId: string | null): Promise<Json[]> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  return (await rest.put(route, { body: bodies })) as Json[];
}

/** At start-up: registers the guild's commands only when they differ from what is registered. */
export async function syncGuildCommands(options: {
  rest: REST;
  applicationId: string;
  guildId: string;
  commands: Iterable<Command>;
  log: Logger;
}): Promise<'unchanged' | 'updated'> {
  const local = commandBodies(options.commands);
  const remote = (await options.rest.get(Routes.applicationGuildCommands(options.applicationId, options.guildId))) as Json[];
  if (sameCommands(local, remote)) {
    options.log.info('guild commands are up to date', { guild: options.guildId, commands: local.length });
    return 'unchanged';
  }
  await registerCommands(options.rest, options.applicationId, local, options.guildId);
  options.log.info('guild commands registered', { guild: options.guildId, commands: local.map((c) => c.name).join(',') });
  return 'updated';
}
