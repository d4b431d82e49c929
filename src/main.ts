#!/usr/bin/env node
import { loadConfig } from './config.js';
import { createLogger, redact } from './log.js';

// `npm start`: the Discord bot when DISCORD_TOKEN is set, else the terminal console over the same corpus.
const config = loadConfig();
const log = createLogger();
const token = process.env.DISCORD_TOKEN?.trim();
redact(token);
if (token) {
  const { runBot } = await import('./bot/run.js');
  await runBot({ config, token, log });
} else {
  const { runConsole } = await import('./console.js');
  await runConsole({ config, log });
}
