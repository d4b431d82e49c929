#!/usr/bin/env node
import { loadConfig } from './config.js';
import { describeShards, isPartial, type ShardSettings } from './bot/shards.js';
import { createLogger, redact } from './log.js';

// `npm start`: the Discord bot when DISCORD_TOKEN is set, else the terminal console over the same corpus.
const config = loadConfig();
const log = createLogger(config.log);
const token = config.discordToken;
redact(token);
if (token) {
  const [{ runBot }, { openRecords }, { startDigest }, { librarySources }, { DIGEST_SERVICE }] = await Promise.all([
    import('./bot/run.js'),
    import('./records/open.js'),
    import('./digest/start.js'),
    import('./digest/sources.js'),
    import('./digest/service.js'),
  ]);
  void config.digest; // a bad DIGEST_* value stops start-up here, before connecting
  // A bad Discord-side setting (shards, rate limit, library role…) is one log line, not a stack trace.
  let shards!: ShardSettings;
  try {
    shards = config.bot.shards;
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  if (isPartial(shards) && !config.databaseUrl) {
    log.warn('this process runs some of the shards without DATABASE_URL: its question log, digests and library are its own, not shared with the processes running the other shards', { shards: describeShards(shards) });
  }
  // Without a database to share, a second bot process on this data folder is refused, saying why.
  if (!config.databaseUrl) {
    const { claimBotProcess } = await import('./records/bot-process.js');
    await claimBotProcess(config.dataDir).catch((error: unknown) => {
      log.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
  }
  const records = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
  const services = new Map<string, unknown>();
  // The digest needs the library, so it starts once the bot serves; until then /digest waits on this.
  let digestStarted!: (service: unknown) => void;
  let digestFailed!: (error: unknown) => void;
  const digestStarting = new Promise<unknown>((resolve, reject) => {
    digestStarted = resolve;
    digestFailed = reject;
  });
  digestStarting.catch(() => undefined);
  services.set(DIGEST_SERVICE, digestStarting);
  const bot = await runBot({ config, token, log, questionLog: records.questionLog, services });
  await bot.serving;
  // Read at each use: a re-index swaps the library's index.
  const library = () => bot.ctx.library();
  try {
    digestStarted(await startDigest({ client: bot.client, settings: config.digest, records, sources: librarySources(library), log, services }));
  } catch (error) {
    digestFailed(error);
    throw error;
  }
  if (config.watchDocs) {
    const { watchDocs } = await import('./watch.js');
    void watchDocs({ library: library(), docsDir: config.docsDir, log, ignore: [config.indexDir, config.dataDir] });
  }
} else {
  const { runConsole } = await import('./console.js');
  await runConsole({ config, log });
}
