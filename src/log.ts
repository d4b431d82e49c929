import { logSettings } from './config.js';

/** Structured logs on stderr: one JSON object per line (LOG_FORMAT=json) or a readable line (default). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secrets = new Set<string>();

/** Registers a value (the bot token) that must never be printed: it is replaced wherever it appears. */
export function redact(secret: string | undefined): void {
  if (secret && secret.length >= 8) secrets.add(secret);
}

function scrub(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

function render(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function createLogger(
  options: { level?: LogLevel; json?: boolean; write?: (line: string) => void; base?: LogFields } = {},
): Logger {
  const settings = options.level === undefined || options.json === undefined ? logSettings() : null;
  const level = options.level ?? settings!.level;
  const json = options.json ?? settings!.json;
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const base = options.base ?? {};
  const emit = (lvl: LogLevel, message: string, fields: LogFields = {}) => {
    if (order[lvl] < (order[level] ?? order.info)) return;
    const all = { ...base, ...fields };
    if (json) {
      const record: LogFields = { time: new Date().toISOString(), level: lvl, msg: message };
      for (const [key, value] of Object.entries(all)) record[key] = value instanceof Error ? render(value) : value;
      write(scrub(JSON.stringify(record)));
      return;
    }
    const extras = Object.entries(all).map(([key, value]) => `${key}=${render(value)}`);
    write(scrub([`${new Date().toISOString()} ${lvl.padEnd(5)} ${message}`, ...extras].join(' ')));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level, json, write, base: { ...base, ...fields } }),
  };
}
