import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  Client,
  ContextMenuCommandBuilder,
  MessageComponentInteraction,
  MessageContextMenuCommandInteraction,
  SlashCommandOptionsOnlyBuilder,
  SlashCommandSubcommandsOnlyBuilder,
} from 'discord.js';
import type { Config } from '../config.js';
import type { BuildProgress } from '../index/indexer.js';
import type { LibraryApi } from '../library-api.js';
import type { Logger } from '../log.js';
import type { QuestionLog } from '../records/question-log.js';
import type { BotConfig } from './bot-config.js';
import { RateLimiter } from './rate-limit.js';

/** State of the running bot that commands share (rate limits, uptime, the re-index in progress). */
export interface BotRuntime {
  config: BotConfig;
  startedAt: Date;
  /** Per-user limit on questions (/ask and mentions) and on public digest posts (/digest now). */
  limiter: RateLimiter;
  /** The /reindex in progress, if any. */
  reindex: { running: Promise<unknown> | null };
}

/** What every command in `commands/` gets besides its interaction. */
export interface CommandContext {
  client: Client;
  config: Config;
  log: Logger;
  /** The live library; replaced atomically by /reindex, so read it at use time. Throws while it is still loading. */
  library(): LibraryApi;
  /**
   * The library once it has loaded (rejects if loading fails or the bot stops first), for a question
   * that arrives while it loads. Absent where the library is there from the start (tests).
   */
  libraryLoaded?: () => Promise<LibraryApi>;
  /** While the library loads: how far the index build it started has got, or null when none is running. */
  buildProgress?: () => BuildProgress | null;
  questionLog: QuestionLog;
  /** Services added by later features (the digest scheduler), looked up by name. */
  services: Map<string, unknown>;
  /** Set by the bot runtime; `runtimeOf(ctx)` gives a default when a caller (a test) leaves it out. */
  runtime?: BotRuntime;
}

/**
 * The shape of a file in `commands/` (discord.js guide style: named exports, or a default export object).
 * A slash command's `execute` gets chat-input interactions; a message context-menu command's (its data a
 * ContextMenuCommandBuilder of type Message) gets the message it was used on.
 */
export interface Command {
  data: SlashCommandOptionsOnlyBuilder | SlashCommandSubcommandsOnlyBuilder | ContextMenuCommandBuilder | { name: string; toJSON(): unknown };
  execute(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /**
   * Buttons and select menus whose custom_id starts with `<command name>:` are routed here, so a
   * command owns the components it puts on its messages.
   */
  handleComponent?(interaction: MessageComponentInteraction, ctx: CommandContext): Promise<void>;
}

export function createRuntime(config: BotConfig): BotRuntime {
  return {
    config,
    startedAt: new Date(),
    limiter: new RateLimiter(config.rateLimit.count, config.rateLimit.windowMs),
    reindex: { running: null },
  };
}

/** The context's runtime, created from the context's configuration (and remembered) on first use when the caller did not set one. */
export function runtimeOf(ctx: CommandContext): BotRuntime {
  ctx.runtime ??= createRuntime(ctx.config.bot);
  return ctx.runtime;
}
