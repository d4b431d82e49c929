import type { LoadIssue } from '../types.js';

/** More issues with one message than this are logged as one line. */
const LISTED = 3;

/**
 * Log lines for a load's issues, in order: one per issue, except that a message (or an issue's
 * `group`) shared by more than three files is one line naming the first three. A folder of exported
 * docs can hold hundreds of files of one unsupported kind, and the bot logs every re-index.
 */
export function issueLines(issues: readonly LoadIssue[]): string[] {
  const byMessage = new Map<string, LoadIssue[]>();
  for (const issue of issues) {
    const key = `${issue.level}\u0000${issue.group ?? issue.message}`;
    const group = byMessage.get(key);
    if (group) group.push(issue);
    else byMessage.set(key, [issue]);
  }
  return [...byMessage.values()].flatMap((group) => {
    const [{ level, message, group: summary }] = group as [LoadIssue];
    if (group.length <= LISTED) return group.map((issue) => `${level}: ${issue.path}: ${issue.message}`);
    const named = group.slice(0, LISTED).map((issue) => issue.path).join(', ');
    return [`${level}: ${group.length} files: ${summary ?? message} (${named} and ${group.length - LISTED} more)`];
  });
}
