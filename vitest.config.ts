import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Native addons (hnswlib, onnxruntime, sqlite) are safer in forked processes than in worker threads.
    pool: 'forks',
    // A developer's .env (a real DISCORD_TOKEN, other paths or limits) must not reach the tests or
    // the processes they start.
    env: { ARCHIVIST_ENV_FILE: '' },
  },
});
