#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { environment, loadConfig, type Config } from './config.js';
import { evaluate, formatReports, readQuestions } from './eval/evaluate.js';
import { renderAnswer, renderDocumentList, renderSource, sayWaitingForWriter } from './format/terminal.js';
import { openLibrary, type Library } from './library.js';
import { createLogger } from './log.js';
import type { SearchMode } from './search/search.js';
import { validateQuestion } from './search/validate-question.js';

const USAGE = `archivist — answers questions from your documents with quoted, cited passages.

Usage:
  archivist index  [--docs DIR] [--index DIR] [--watch]     build or update the index
  archivist ask    "question" [--k N] [--json]              answer one question
  archivist ask    --json < questions.txt                   answer one question per line (JSON Lines out)
  archivist source [REF] [--json]                           show a cited passage (no REF: list documents)
  archivist eval   FILE.jsonl [--k N] [--mode hybrid|dense|lexical|all] [--json] [--verbose]
  archivist digest [--since ISO] [--json]                   print the digest that would be posted

Every command takes --docs DIR and --index DIR (or DOCS_DIR, INDEX_DIR; EMBEDDING_MODEL picks the embedder).
`;

/** A failure the user caused and can fix: printed as one line, exit code 2. */
class UsageError extends Error {}

const OPTIONS = {
  docs: { type: 'string' },
  index: { type: 'string' },
  k: { type: 'string' },
  json: { type: 'boolean', default: false },
  mode: { type: 'string' },
  since: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  watch: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseK(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new UsageError(`--k must be a whole number from 1 to 50 (got "${raw}")`);
  return k;
}

function configFrom(values: { docs?: string; index?: string }): Config {
  const config = loadConfig();
  const env = { ...environment() };
  if (values.docs) env.DOCS_DIR = values.docs;
  if (values.index) env.INDEX_DIR = values.index;
  return values.docs || values.index ? loadConfig(env) : config;
}

async function withLibrary<T>(config: Config, run: (library: Library) => Promise<T>): Promise<T> {
  // One-shot commands: which embedder answered is a debug detail (LOG_LEVEL=debug shows it).
  const library = await openLibrary({ config, log: createLogger(config.log), onWaitForWriter: sayWaitingForWriter(config.indexDir), announceEmbedder: false });
  try {
    return await run(library);
  } finally {
    await library.close();
  }
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/**
 * One JSON line. JSON.stringify leaves C1 controls (U+0080–U+009F: U+009B is a terminal's CSI) and
 * U+2028/U+2029 raw; escaped, the line parses the same and cannot steer a terminal it is shown in.
 */
function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The lines of stdin, split at \n alone (a \r\n ending loses its \r): readline also ends a line at a
 * lone \r, which made one question of a pasted line into two.
 */
async function* stdinLines(): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) {
    const parts = (pending + (chunk as string)).split('\n');
    pending = parts.pop()!;
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

async function askCommand(positionals: string[], values: ReturnType<typeof parse>['values'], config: Config): Promise<number> {
  const k = parseK(values.k, config.topK);
  if (positionals.length > 1) throw new UsageError('ask takes one question: put it in quotes');
  if (positionals.length === 0 && !values.json) throw new UsageError('ask needs a question, e.g. archivist ask "who attended the briefing?" (or --json with questions on stdin)');
  if (positionals.length === 1) {
    const checked = validateQuestion(positionals[0]);
    if (!checked.ok) throw new UsageError(checked.error);
    return withLibrary(config, async (library) => {
      const answer = await library.ask(checked.question, { k });
      print(values.json ? jsonLine(answer) : renderAnswer(answer));
      return 0;
    });
  }
  // One JSON object per stdin line, in order; a bad line gets an error object in its place.
  return withLibrary(config, async (library) => {
    for await (const line of stdinLines()) {
      const checked = validateQuestion(line);
      if (!checked.ok) {
        print(jsonLine({ question: line, error: checked.error }));
        continue;
      }
      print(jsonLine(await library.ask(checked.question, { k })));
    }
    return 0;
  });
}

async function sourceCommand(positionals: string[], json: boolean, config: Config): Promise<number> {
  if (positionals.length > 1) throw new UsageError('source takes one ref, e.g. archivist source isw-2024-10-30:3');
  const ref = positionals[0]?.trim();
  return withLibrary(config, async (library) => {
    if (!ref) {
      const docs = library.documents();
      print(json ? jsonLine(docs) : renderDocumentList(docs));
      return 0;
    }
    const view = library.source(ref);
    if (!view) throw new UsageError(`Unknown ref "${ref}". Refs look like DOCUMENT:N; run "archivist source" to list documents.`);
    print(json ? jsonLine(view) : renderSource(view));
    return 0;
  });
}

async function evalCommand(positionals: string[], values: ReturnType<typeof parse>['values'], config: Config): Promise<number> {
  const file = positionals[0];
  if (!file) throw new UsageError('eval needs a question file, e.g. archivist eval tests/fixtures/eval/seeds-dev.jsonl');
  const k = parseK(values.k, config.topK);
  const modeArg = values.mode ?? 'hybrid';
  const modes: SearchMode[] = modeArg === 'all' ? ['hybrid', 'dense', 'lexical'] : [modeArg as SearchMode];
  if (!modes.every((m) => ['hybrid', 'dense', 'lexical'].includes(m))) throw new UsageError(`--mode must be hybrid, dense, lexical or all (got "${modeArg}")`);
  const questions = await readQuestions(file);
  return withLibrary(config, async (library) => {
    const reports = [];
    for (const mode of modes) reports.push(await evaluate(questions, (q, kk, m) => library.retrieve(q, kk, m), k, mode));
    if (values.json) print(jsonLine(modeArg === 'all' ? reports : reports[0]));
    else {
      print(`${library.status().embedder} · ${questions.length} questions from ${file}\n`);
      print(formatReports(reports));
      if (values.verbose) {
        for (const report of reports) {
          for (const miss of report.misses) {
            // Each ranked hit's rule (see `declineRule`) with its similarity/coverage.
            const why = miss.why?.length ? ` [${miss.why.join('; ')}]` : '';
            print(`[${report.mode}] ${miss.declined ? 'declined' : miss.rank === null ? 'miss' : `rank ${miss.rank}`}: ${miss.q}${why}`);
          }
        }
      }
    }
    return 0;
  });
}

async function indexCommand(values: ReturnType<typeof parse>['values'], config: Config): Promise<number> {
  const log = createLogger(config.log);
  const library = await openLibrary({ config, log, refresh: true, onWaitForWriter: sayWaitingForWriter(config.indexDir) });
  try {
    const status = library.status();
    print(`index ready: ${status.documents} documents, ${status.passages} passages (${status.embedder}) in ${config.indexDir}`);
    if (values.watch) {
      const { watchDocs } = await import('./watch.js');
      // The index was brought up to date just now: no catch-up pass.
      await watchDocs({ library, docsDir: config.docsDir, log, ignore: [config.indexDir], catchUp: false });
    }
    return 0;
  } finally {
    await library.close();
  }
}

async function digestCommand(values: ReturnType<typeof parse>['values'], config: Config): Promise<number> {
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since must be an ISO date or time (got "${values.since}")`);
  const { runDigestFromCli } = await import('./digest/wire-cli.js');
  return runDigestFromCli({ since: values.since, json: values.json, config, log: createLogger(config.log) });
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    print(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = configFrom(values);
  switch (command) {
    case 'index':
      return indexCommand(values, config);
    case 'ask':
      return askCommand(rest, values, config);
    case 'source':
      return sourceCommand(rest, values.json, config);
    case 'eval':
      return evalCommand(rest, values, config);
    case 'digest':
      return digestCommand(values, config);
    default:
      throw new UsageError(`Unknown command "${command}". Commands: index, ask, source, eval, digest (see --help).`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`archivist: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
