import { LIMITS } from './limits.js';

/**
 * Button custom ids: `<command>:<action>:<args>`. The runtime routes a button to the command named by
 * the first segment (Command.handleComponent), so ids stay meaningful across restarts.
 *
 * Refs are carried in the id when they fit in Discord's 100 characters; a longer ref gets a short alias
 * kept in memory (bounded), which a restart forgets: the button then says so and points to /source.
 */
const aliases = new Map<string, string>();
let nextAlias = 1;
const MAX_ALIASES = 5000;

function aliasFor(ref: string): string {
  for (const [key, value] of aliases) if (value === ref) return key;
  const key = (nextAlias++).toString(36);
  aliases.set(key, ref);
  if (aliases.size > MAX_ALIASES) aliases.delete(aliases.keys().next().value!);
  return key;
}

/** `prefix` + ref when it fits, else `prefix` with `~alias`. */
export function refId(prefix: string, ref: string): string {
  const direct = `${prefix}${ref}`;
  return direct.length <= LIMITS.customId && !ref.startsWith('~') ? direct : `${prefix}~${aliasFor(ref)}`;
}

/** The ref a `refId` carries; null when it was an alias this process no longer knows. */
export function refFrom(arg: string): string | null {
  if (!arg.startsWith('~')) return arg;
  return aliases.get(arg.slice(1)) ?? null;
}

export type AskComponent =
  | { action: 'passage'; ref: string | null }
  | { action: 'feedback'; questionId: number; vote: 'up' | 'down' };

export type SourceComponent = { action: 'view'; ref: string | null } | { action: 'list'; page: number };

/** "Full passage" button of hit `index` (the index keeps ids unique within a message). */
export const askPassageId = (index: number, ref: string) => refId(`ask:p:${index}:`, ref);
export const askFeedbackId = (questionId: number, vote: 'up' | 'down') => `ask:fb:${questionId}:${vote}`;
export const sourceViewId = (ref: string, tag: string) => refId(`source:v:${tag}:`, ref);
export const sourceListId = (page: number, tag: string) => `source:l:${tag}:${page}`;

/** Splits `a:b:c:rest:with:colons` into the first `n` segments and the rest. */
function split(id: string, n: number): string[] | null {
  const parts: string[] = [];
  let rest = id;
  for (let i = 0; i < n; i++) {
    const at = rest.indexOf(':');
    if (at < 0) return null;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

export function parseAskId(id: string): AskComponent | null {
  const parts = split(id, 3);
  if (!parts || parts[0] !== 'ask') return null;
  if (parts[1] === 'p') return { action: 'passage', ref: refFrom(parts[3]!) };
  if (parts[1] === 'fb' && /^\d+$/.test(parts[2]!) && (parts[3] === 'up' || parts[3] === 'down')) {
    return { action: 'feedback', questionId: Number(parts[2]), vote: parts[3] };
  }
  return null;
}

export function parseSourceId(id: string): SourceComponent | null {
  const parts = split(id, 3);
  if (!parts || parts[0] !== 'source') return null;
  if (parts[1] === 'v') return { action: 'view', ref: refFrom(parts[3]!) };
  if (parts[1] === 'l' && /^\d+$/.test(parts[3]!)) return { action: 'list', page: Number(parts[3]) };
  return null;
}
