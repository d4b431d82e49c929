/**
 * Issue 18's kill test, on processes: while a reader (a built bot process on shard 0 of 2, on a
 * throwaway PostgreSQL database) is asked a question every ~100 ms, `archivist index` runs again and
 * again over a copy of the docs whose page gets a new codeword sentence each time, and is killed
 * with SIGKILL while it publishes. After each kill a fresh bot process (shard 1, an empty index
 * folder and no docs folder, so it can only serve what the database holds) must load a whole
 * library, with the documents the indexer reported, quoting either the killed run's codeword (it
 * had committed) or the one before it (it had not); the reader must come to quote the same one.
 *
 * When to kill: a first run goes to the end, timing the span from the line `--after` matches (the
 * build's summary: what follows is publishing) to the process's exit; each later run is killed a
 * random moment into that span. A run that exits before its moment counts as finished, not killed,
 * and another run is made. `--pause-after STAGE` instead freezes the indexer at a named point
 * (ARCHIVIST_TEST_PAUSE_AFTER, src/index/test-pause.ts) and kills it there.
 * Run `npm run build` first; the index must have been built from the docs folder given.
 *
 *   npx tsx bench/pg-kill.ts --docs seeds --index /tmp/seeds-index --postgres URL [--kills 20]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ask,
  CLUSTER_OPTIONS,
  codeword,
  editPage,
  firstAnswer,
  killAndWait,
  newWord,
  quoteOf,
  SHARDS,
  sleep,
  spawnBot,
  spawnIndexer,
  startCluster,
  stop,
  type Spawned,
} from './pg-processes.js';

const { values } = parseArgs({
  options: {
    ...CLUSTER_OPTIONS,
    kills: { type: 'string', default: '20' },
    after: { type: 'string', default: '^\\S+ info  indexed \\d+ documents' },
    'pause-after': { type: 'string' },
  },
});
const KILLS = Number(values.kills);
const AFTER = new RegExp(values.after!);
const PAUSE = values['pause-after'];
/** A reader's answer later than this counts as a failure. */
const ANSWER_MS = 10_000;
/** How long the reader may take to quote what the database holds after a run. */
const CATCH_UP_MS = 60_000;
const LOAD_MS = 600_000;

const { database, root, double, docsDir, indexerDir, pageRel, page, original, question, channels, close } = await startCluster(values, 'pg-kill');
const running: Spawned[] = [];
const reader = { asked: 0, quoted: 0, failures: [] as string[], stopping: false };
try {
  const folders = (name: string) => ({ tempDir: root, indexDir: path.join(root, name, 'index'), dataDir: path.join(root, name, 'data'), databaseUrl: database.url });

  const indexer = (env: Record<string, string> = {}) => {
    const spawned = spawnIndexer({ tempDir: root, docsDir, indexDir: indexerDir, databaseUrl: database.url, env });
    running.push(spawned);
    return spawned;
  };
  const runToEnd = async () => {
    const spawned = indexer();
    if ((await spawned.exited).code !== 0) throw new Error(`archivist index failed:\n${spawned.output().slice(-3000)}`);
    return spawned;
  };
  const seeded = await runToEnd();
  const documents = Number(/index ready: (\d+) documents/.exec(seeded.output())?.[1]);
  console.log(`docs ${values.docs} (page edited: ${pageRel}, ${documents} documents), index ${values.index}; reader asks "${question}"`);

  const readerBot = spawnBot(double, { ...folders('reader'), docsDir, shardCount: SHARDS, shards: '0' });
  running.push(readerBot);
  await firstAnswer(double, readerBot, { id: 0, count: SHARDS, channelId: channels[0]! }, question, LOAD_MS);
  const asking = (async () => {
    while (!reader.stopping) {
      reader.asked++;
      const record = await ask(double, channels[0]!, question, ANSWER_MS);
      if (!record) reader.failures.push(`question ${reader.asked}: no reply within ${ANSWER_MS} ms`);
      else if (quoteOf(record) === null) reader.failures.push(`question ${reader.asked}: a reply without a quote: ${JSON.stringify(record.original).slice(0, 300)}`);
      else reader.quoted++;
      await sleep(100);
    }
  })();

  /** What a fresh process serves from the database: documents loaded and the codeword quoted (null: none). */
  const served = async (run: number): Promise<{ documents: number; word: string | null } | string> => {
    const checker = spawnBot(double, { ...folders(`checker-${run}`), docsDir: path.join(root, 'no-docs-folder'), shardCount: SHARDS, shards: '1' });
    running.push(checker);
    try {
      const loaded = await checker.waitForLine(/library loaded/, LOAD_MS);
      const record = await ask(double, channels[1]!, codeword.anyQuestion, ANSWER_MS);
      const quote = record && quoteOf(record);
      return { documents: Number(/documents[=:"]+(\d+)/.exec(loaded.text)?.[1]), word: quote ? codeword.inText(quote) : null };
    } catch (error) {
      return `the fresh process did not serve the database's library: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      await stop(checker);
    }
  };

  let word = newWord();
  await editPage(page, original, word);
  const calibration = await runToEnd();
  const publishing = calibration.lines.find((line) => AFTER.test(line.text));
  if (!publishing) throw new Error(`no line of archivist index matches --after ${AFTER}:\n${calibration.output()}`);
  const windowMs = calibration.exitedAt! - publishing.at;
  let committed = word;
  console.log(`calibration run: ${windowMs} ms from "${publishing.text.slice(0, 80)}" to the exit${PAUSE ? `; killing at the pause after ${PAUSE} instead` : ''}`);

  const outcome = { killed: 0, committed: 0, rolledBack: 0, finished: 0, halfVisible: [] as string[], readerBehind: 0 };
  for (let run = 1; outcome.killed < KILLS && run <= KILLS * 3; run++) {
    word = newWord();
    await editPage(page, original, word);
    const spawned = indexer(PAUSE ? { ARCHIVIST_TEST_PAUSE_AFTER: PAUSE } : {});
    let killedAt: number | null = null;
    const mark = PAUSE ? new RegExp(`paused after ${PAUSE}`) : AFTER;
    const marked = await spawned.waitForLine(mark, LOAD_MS);
    if (!PAUSE) await Promise.race([sleep(Math.random() * windowMs), spawned.exited]);
    if (spawned.exitedAt === null) {
      killedAt = Date.now();
      await killAndWait(spawned);
      outcome.killed++;
    } else {
      outcome.finished++;
    }
    const found = await served(run);
    const previous = committed;
    let verdict: string;
    if (typeof found === 'string') {
      outcome.halfVisible.push(`run ${run}: ${found}`);
      verdict = 'NOT SERVED';
    } else if (found.documents !== documents || (found.word !== word && found.word !== previous) || (killedAt === null && found.word !== word)) {
      outcome.halfVisible.push(`run ${run}: ${found.documents} documents (want ${documents}), codeword ${found.word} (want ${word}${killedAt === null ? '' : ` or ${previous}`})`);
      verdict = 'HALF-VISIBLE';
    } else {
      committed = found.word!;
      if (killedAt !== null) outcome[found.word === word ? 'committed' : 'rolledBack']++;
      verdict = killedAt === null ? 'finished before its kill' : found.word === word ? 'killed after its commit' : 'killed before its commit: nothing of it served';
    }
    // The reader serves what a fresh process found.
    const since = Date.now();
    let caughtUp = false;
    while (!caughtUp && Date.now() - since < CATCH_UP_MS) {
      const record = await ask(double, channels[0]!, codeword.anyQuestion, ANSWER_MS);
      caughtUp = Boolean(record && codeword.inText(quoteOf(record) ?? '') === committed);
      if (!caughtUp) await sleep(100);
    }
    if (!caughtUp) outcome.readerBehind++;
    const moment = killedAt === null ? 'exited first' : PAUSE ? `killed at the pause after ${PAUSE}` : `killed ${killedAt - marked.at} ms into the span`;
    console.log(`run ${run}: ${moment}; ${verdict}${caughtUp ? '' : '; the reader did not come to quote it'}`);
  }
  reader.stopping = true;
  await asking;
  console.log(
    `\n${outcome.killed} kills with SIGKILL (${outcome.committed} after the commit, ${outcome.rolledBack} before it), ${outcome.finished} runs finished before their kill; ` +
      `half-visible or unserved generations: ${outcome.halfVisible.length}; reader behind the database: ${outcome.readerBehind}`,
  );
  console.log(`reader: ${reader.asked} questions, ${reader.quoted} answered with a quote, ${reader.failures.length} failures`);
  for (const line of [...outcome.halfVisible, ...reader.failures.slice(0, 20)]) console.log(`  ${line}`);
} finally {
  reader.stopping = true;
  for (const spawned of running) await killAndWait(spawned);
  await close();
}
