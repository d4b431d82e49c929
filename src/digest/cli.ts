import type { Records } from '../records/records.js';
import { buildDigest, pendingSince } from './build.js';
import { renderJson, renderText } from './render-text.js';
import type { DigestSources } from './sources.js';

export interface DigestCliDeps {
  records: Records;
  sources: DigestSources;
  /** The zone dates are shown in (DIGEST_TZ via digestSettings().timezone). */
  timezone: string;
  now?: () => Date;
  write?: (text: string) => void;
}

/**
 * `archivist digest [--since ISO] [--json]`: the digest of every guild's questions from `since`
 * (default: where the last posted digest ended, else a day back) until now. Returns the exit code.
 */
export async function runDigestCli(args: { since?: string; json?: boolean }, deps: DigestCliDeps): Promise<number> {
  const until = (deps.now ?? (() => new Date()))();
  const since = args.since === undefined ? pendingSince(await deps.records.digestRuns.lastCovered(), until) : new Date(args.since);
  if (Number.isNaN(since.getTime())) throw new Error(`--since must be an ISO date or time (got "${args.since}")`);
  const digest = await buildDigest({ since, until, timezone: deps.timezone }, { records: deps.records, sources: deps.sources });
  (deps.write ?? ((text) => process.stdout.write(text)))(args.json ? renderJson(digest) : renderText(digest));
  return 0;
}
