// One of several processes racing to post the same digests (see digest-scheduler.test.ts).
// Opens the records at TARGET (a data folder, or a postgres:// URL) and writes one line per post
// ("post <process> <channel> <date>") and per run ("run <process> <result>").
import { appendFileSync } from 'node:fs';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { createLogger } from '../../src/log.js';
import { openRecords } from '../../src/records/open.js';

const [target, out, startAt, name] = process.argv.slice(2) as [string, string, string, string];
const log = createLogger({ level: 'error' });
const records = await openRecords(target.startsWith('postgres') ? { dataDir: '', databaseUrl: target, log } : { dataDir: target, log });
let now = new Date(0);
const scheduler = new DigestScheduler({
  records,
  log,
  now: () => now,
  compose: async (run) => ({ content: run.localDate, embeds: [], allowedMentions: { parse: [] } }),
  post: async (channelId, message) => appendFileSync(out, `post ${name} ${channelId} ${message.content}\n`),
});
// Every process starts each day's run at the same wall-clock moment, so all of them contend for every day.
for (let day = 0; day < 20; day++) {
  const start = Number(startAt) + day * 50;
  while (Date.now() < start) await new Promise((resolve) => setImmediate(resolve));
  now = new Date(Date.parse('2024-11-02T09:00:00Z') + day * 86_400_000);
  for (const outcome of await scheduler.runDue()) appendFileSync(out, `run ${name} ${outcome.result}\n`);
}
await records.close();
