import path from 'node:path';
import dotenv from 'dotenv';

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
  /** The running bot re-indexes when files in the docs folder are added, changed or removed. */
  watchDocs: boolean;
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
 * Reads `.env` (or the file `ARCHIVIST_ENV_FILE` names; set it empty to read none) once, existing
 * environment variables winning, and returns the configuration.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  if (!envLoaded && env === process.env) {
    const file = env.ARCHIVIST_ENV_FILE ?? '.env';
    if (file.trim() !== '') dotenv.config({ path: path.resolve(cwd, file), quiet: true });
    envLoaded = true;
  }
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
    watchDocs: env.WATCH_DOCS?.trim() !== '0',
  };
}
