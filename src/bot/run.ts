import { Client, GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.js';
import type { BuildProgress } from '../index/indexer.js';
import type { LibraryApi } from '../library-api.js';
import { redact, type Logger } from '../log.js';
import type { QuestionLog } from '../records/question-log.js';
import { loadBotConfig, type BotConfig } from './bot-config.js';
import { loadCommands, type defaultCommandsDir } from './commands-loader.js';
import { createRuntime, type Command, type CommandContext } from './context.js';
import { LibraryUnavailableError, UserError, describeError } from './errors.js';
import { InFlight } from './in-flight.js';
import { registerEvents } from './events/index.js';
import { SHUTTING_DOWN, createInteractionRouter } from './interactions.js';
import { MemoryQuestionLog } from './memory-question-log.js';
import { NO_MENTIONS } from './replies.js';
import { clientShardOptions } from './shards.js';
import { holdIfRequested } from './test-hold.js';

export interface RunBotOptions {
  config: Config;
  token: string;
  log: Logger;
  /** Where questions and 👍/👎 go; an in-memory log when absent. */
  questionLog?: QuestionLog;
  /** A library, or one being opened (tests, embedding); else `openLibrary` from src/library.ts. */
  library?: LibraryApi | Promise<LibraryApi>;
  /** Environment for the Discord settings (DISCORD_API_URL, DISCORD_GUILD_ID, RATE_LIMIT_*). */
  env?: NodeJS.ProcessEnv;
  commandsDir?: ReturnType<typeof defaultCommandsDir>;
  /** Install SIGINT/SIGTERM and unhandled-rejection handlers (the process entry point). Default true. */
  processHandlers?: boolean;
  /** Services for commands (ctx.services), e.g. the digest scheduler. */
  services?: Map<string, unknown>;
}

export interface BotHandle {
  client: Client;
  commands: Map<string, Command>;
  ctx: CommandContext;
  /** Resolves when the bot is connected and the library is loaded. */
  serving: Promise<void>;
  /** Stops taking work, lets replies in flight finish, then closes Discord, the library and the log. */
  stop(reason?: string): Promise<void>;
}

/** How long shutdown waits for discord.js to close the gateway, and for a library still loading. */
const GATEWAY_CLOSE_MS = 5000;
const LOADING_WAIT_MS = 5000;

/** Whether `promise` settles within `ms`; it is not cancelled either way. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);
}

/**
 * The Discord bot: connects (Guilds + GuildMessages intents, nothing privileged), loads the index
 * (building it when missing) while connecting, serves slash commands and mentions, and shuts down
 * gracefully on SIGINT/SIGTERM.
 */
export async function runBot(options: RunBotOptions): Promise<BotHandle> {
  const { config, token, log } = options;
  redact(token);
  const bot: BotConfig = options.env ? loadBotConfig(options.env) : config.bot;
  const runtime = createRuntime(bot);
  const questionLog = options.questionLog ?? new MemoryQuestionLog();
  const commands = await loadCommands(log, options.commandsDir);
  const inFlight = new InFlight();
  let stopping: Promise<void> | null = null;
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));

  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    allowedMentions: { ...NO_MENTIONS, repliedUser: false },
    ...(bot.apiUrl ? { rest: { api: bot.apiUrl } } : {}),
    ...clientShardOptions(bot.shards),
  });

  let library: LibraryApi | null = null;
  let building: BuildProgress | null = null;
  // Set below, once `loading` exists; questions wait on it (ctx.libraryLoaded).
  let loaded: Promise<LibraryApi> | null = null;
  const ctx: CommandContext = {
    client,
    config,
    log,
    library: () => {
      if (!library) throw new LibraryUnavailableError();
      return library;
    },
    libraryLoaded: () => loaded ?? Promise.reject(new LibraryUnavailableError()),
    buildProgress: () => (library ? null : building),
    questionLog,
    services: options.services ?? new Map(),
    runtime,
  };

  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  registerEvents({
    client,
    log,
    bot,
    ctx,
    commands,
    inFlight,
    route: createInteractionRouter({ commands, ctx, stopping: () => stopping !== null }),
    stopping: () => stopping !== null,
    connected: markConnected,
  });

  const stop = (reason = 'stop requested'): Promise<void> => {
    requestStop();
    stopping ??= (async () => {
      log.info('shutting down', { reason, inFlight: inFlight.size });
      const drained = await inFlight.drain(bot.shutdownGraceMs);
      if (!drained) log.warn('some replies did not finish before the shutdown deadline', { left: inFlight.size });
      // discord.js's destroy() never resolves when it lands between an IDENTIFY and its READY (the
      // shard reconnects instead of stopping): the gateway gets a few seconds, then shutdown goes on.
      const closing = client.destroy().catch((error: unknown) => log.warn('closing the gateway failed', describeError(error)));
      if (!(await settlesWithin(closing, GATEWAY_CLOSE_MS))) log.warn('the gateway did not close in time; stopping without it', { waitedMs: GATEWAY_CLOSE_MS });
      // A library still being built is not waited for long: it is closed when it finishes.
      await settlesWithin(loading, LOADING_WAIT_MS);
      await library?.close().catch((error: unknown) => log.warn('closing the library failed', describeError(error)));
      const closable = questionLog as QuestionLog & { close?: () => unknown };
      if (typeof closable.close === 'function') {
        try {
          await closable.close();
        } catch (error) {
          log.warn('closing the question log failed', describeError(error));
        }
      }
      log.info('stopped');
    })();
    return stopping;
  };

  // The index loads while the gateway connects; questions that arrive meanwhile wait for it.
  const loading: Promise<void> = (async () => {
    const started = Date.now();
    const opened = options.library
      ? await options.library
      : await (await import('../library.js')).openLibrary({ config, log, follow: true, onBuildProgress: (progress) => (building = progress) });
    building = null;
    await holdIfRequested(log);
    if (stopping) {
      await opened.close();
      return;
    }
    library = opened;
    const status = opened.status();
    log.info('library loaded', { documents: status.documents, passages: status.passages, embedder: status.embedder, ms: Date.now() - started });
  })();

  // A stop does not wait for a library still loading: the questions waiting for it are told at once.
  loaded = Promise.race([
    loading.then(() => {
      if (!library) throw new UserError(SHUTTING_DOWN);
      return library;
    }),
    stopRequested.then(() => {
      throw new UserError(SHUTTING_DOWN);
    }),
  ]);
  loaded.catch(() => undefined);

  if (options.processHandlers ?? true) installProcessHandlers(log, stop);

  loading.catch((error: unknown) => {
    log.error('could not load the library; stopping', describeError(error));
    void stop('library failed to load').finally(() => {
      if (options.processHandlers ?? true) process.exit(1);
    });
  });

  try {
    await client.login(token);
  } catch (error) {
    log.error('could not connect to Discord', describeError(error));
    await stop('login failed');
    throw error;
  }

  const serving = Promise.all([connected, loading]).then(() => {
    log.info('archivist bot is serving', { commands: [...commands.keys()].join(','), guilds: client.guilds.cache.size });
  });
  serving.catch(() => undefined);
  return { client, commands, ctx, serving, stop };
}

function installProcessHandlers(log: Logger, stop: (reason: string) => Promise<void>): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    void stop(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A failed promise somewhere must not kill the bot: log it and keep serving.
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', describeError(reason)));
}
