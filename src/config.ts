import path from 'node:path';
import dotenv from 'dotenv';
import { loadBotConfig, type BotConfig } from './bot/bot-config.js';
import { digestSettings, type DigestSettings } from './digest/settings.js';
import type { LogLevel } from './log.js';
import type { DocsSource } from './sources/config.js';

/** Settings from the environment (and `.env`); CLI flags override the paths. */
export interface Config {
  docsDir: string;
  indexDir: string;
  dataDir: string;
  /** DATABASE_URL (postgres://…): the records live in PostgreSQL, shared by every process; else a SQLite file in dataDir. */
  databaseUrl?: string;
  /** `auto`, `bundled`, a Hugging Face model name, or a path to a local model folder. */
  embeddingModel: string;
  modelCacheDir: string;
  /** Set to `1` to forbid model downloads (air-gapped installs). */
  offline: boolean;
  hnsw: { m: number; efConstruction: number; ef: number };
  topK: number;
  /** DOCS_SOURCE and DOCS_BASE_URL: the source name and base URL of documents no archivist.sources.json entry covers. */
  docsSource: DocsSource;
  /** EMBEDDING_QUERY_PREFIX / EMBEDDING_PASSAGE_PREFIX: override a Transformers model's own prefixes (empty = none). */
  embeddingPrefixes: { query?: string; passage?: string };
  /** The running bot re-indexes when files in the docs folder are added, changed or removed. */
  watchDocs: boolean;
  /** DISCORD_TOKEN: the bot runs when it is set, else the terminal console. */
  discordToken?: string;
  log: LogSettings;
  /**
   * The bot's settings (Discord, rate limit, shards, library commands) and the digest's. Each is
   * checked when first read, so a bad DIGEST_* value stops the bot but not `archivist ask`.
   */
  readonly bot: BotConfig;
  readonly digest: DigestSettings;
}

/** LOG_LEVEL and LOG_FORMAT (`json` for one JSON object a line). */
export interface LogSettings {
  level: LogLevel;
  json: boolean;
}

/** Test-only hooks (see index/test-pause.ts and bot/test-hold.ts); unset in real use. */
export interface TestHooks {
  /** ARCHIVIST_TEST_PAUSE_AFTER: the index build stage to freeze after. */
  pauseAfter?: string;
  /** ARCHIVIST_TEST_HOLD_LIBRARY: the file whose existence releases the bot's library. */
  holdLibrary?: string;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min} (got "${raw}")`);
  }
  return value;
}

let envLoaded = false;

/**
 * The process environment, after `.env` (or the file `ARCHIVIST_ENV_FILE` names; set it empty to
 * read none) is read into it once, existing environment variables winning. The only place the
 * environment is read: every other module gets its settings from here.
 */
export function environment(cwd = process.cwd()): NodeJS.ProcessEnv {
  if (!envLoaded) {
    const file = process.env.ARCHIVIST_ENV_FILE ?? '.env';
    if (file.trim() !== '') dotenv.config({ path: path.resolve(cwd, file), quiet: true });
    envLoaded = true;
  }
  return process.env;
}

/** Returns the configuration from `env`, by default the environment with `.env` loaded. */
export function loadConfig(env?: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  env ??= environment(cwd);
  const settings = env;
  let bot: BotConfig | undefined;
  let digest: DigestSettings | undefined;
  const resolve = (value: string | undefined, fallback: string) =>
    path.resolve(cwd, value && value.trim() !== '' ? value : fallback);
  return {
    docsDir: resolve(env.DOCS_DIR, 'seeds'),
    indexDir: resolve(env.INDEX_DIR, 'index'),
    dataDir: resolve(env.DATA_DIR, 'data'),
    ...(env.DATABASE_URL?.trim() ? { databaseUrl: env.DATABASE_URL.trim() } : {}),
    embeddingModel: env.EMBEDDING_MODEL?.trim() || 'auto',
    modelCacheDir: resolve(env.MODEL_CACHE_DIR, '.cache/models'),
    offline: env.HF_HUB_OFFLINE === '1' || env.ARCHIVIST_OFFLINE === '1',
    hnsw: {
      m: intFrom(env, 'HNSW_M', 16, 2),
      efConstruction: intFrom(env, 'HNSW_EF_CONSTRUCTION', 200),
      ef: intFrom(env, 'HNSW_EF', 64),
    },
    topK: intFrom(env, 'TOP_K', 3),
    docsSource: {
      ...(env.DOCS_SOURCE !== undefined ? { source: env.DOCS_SOURCE } : {}),
      ...(env.DOCS_BASE_URL !== undefined ? { baseUrl: env.DOCS_BASE_URL } : {}),
    },
    embeddingPrefixes: embeddingPrefixes(env),
    watchDocs: env.WATCH_DOCS?.trim() !== '0',
    ...(env.DISCORD_TOKEN?.trim() ? { discordToken: env.DISCORD_TOKEN.trim() } : {}),
    log: logSettings(env),
    get bot() {
      return (bot ??= loadBotConfig(settings));
    },
    get digest() {
      return (digest ??= digestSettings(settings));
    },
  };
}

function embeddingPrefixes(env: NodeJS.ProcessEnv): { query?: string; passage?: string } {
  return {
    ...(env.EMBEDDING_QUERY_PREFIX !== undefined ? { query: env.EMBEDDING_QUERY_PREFIX } : {}),
    ...(env.EMBEDDING_PASSAGE_PREFIX !== undefined ? { passage: env.EMBEDDING_PASSAGE_PREFIX } : {}),
  };
}

export function logSettings(env: NodeJS.ProcessEnv = environment()): LogSettings {
  return { level: (env.LOG_LEVEL as LogLevel | undefined) ?? 'info', json: env.LOG_FORMAT === 'json' };
}

export function testHooks(env: NodeJS.ProcessEnv = environment()): TestHooks {
  return {
    ...(env.ARCHIVIST_TEST_PAUSE_AFTER !== undefined ? { pauseAfter: env.ARCHIVIST_TEST_PAUSE_AFTER } : {}),
    ...(env.ARCHIVIST_TEST_HOLD_LIBRARY ? { holdLibrary: env.ARCHIVIST_TEST_HOLD_LIBRARY } : {}),
  };
}
