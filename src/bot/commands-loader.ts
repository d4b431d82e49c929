import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from '../log.js';
import type { Command } from './context.js';

/**
 * Where the command files are: `commands/*.ts` next to `src/` when running TypeScript (tsx, vitest),
 * `dist/commands/*.js` when running the compiled output.
 */
export function defaultCommandsDir(): { dir: string; extension: '.ts' | '.js' } {
  const here = fileURLToPath(import.meta.url);
  const extension = here.endsWith('.ts') ? '.ts' : '.js';
  return { dir: path.resolve(path.dirname(here), '..', '..', 'commands'), extension };
}

function isCommand(value: unknown): value is Command {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<Command>;
  const data = candidate.data as { name?: unknown; toJSON?: unknown } | undefined;
  return typeof candidate.execute === 'function' && typeof data?.name === 'string' && typeof data.toJSON === 'function';
}

/** A module's command: its default export when that is one, else its named exports. */
export function commandFromModule(mod: Record<string, unknown>): Command | null {
  if (isCommand(mod.default)) return mod.default;
  return isCommand(mod) ? mod : null;
}

/**
 * Loads every command file in `dir`. A file that fails to load or is not a command is logged and
 * skipped, so one broken command does not take the others down.
 */
export async function loadCommands(log: Logger, where = defaultCommandsDir()): Promise<Map<string, Command>> {
  const commands = new Map<string, Command>();
  let files: string[];
  try {
    files = await readdir(where.dir);
  } catch (error) {
    log.error('commands folder not found', { dir: where.dir, error });
    return commands;
  }
  const wanted = files
    .filter((file) => file.endsWith(where.extension) && !file.endsWith('.d.ts') && !/\.(test|spec)\./.test(file))
    .filter((file) => !file.startsWith('_') && !file.startsWith('.'))
    .sort();
  for (const file of wanted) {
    const full = path.join(where.dir, file);
    try {
      const mod = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
      const command = commandFromModule(mod);
      if (!command) {
        log.warn('not a command file (needs data and execute); skipped', { file });
        continue;
      }
      if (commands.has(command.data.name)) {
        log.warn('duplicate command name; keeping the first', { file, command: command.data.name });
        continue;
      }
      commands.set(command.data.name, command);
    } catch (error) {
      log.error('could not load a command file; skipped', { file, error: error instanceof Error ? error.message : String(error) });
    }
  }
  log.debug('commands loaded', { commands: [...commands.keys()].join(',') });
  return commands;
}
