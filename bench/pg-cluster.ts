/**
 * Issue 18's acceptance, measured on processes: the Discord double with 2 shards (a guild on each),
 * two built bot processes (SHARD_COUNT=2, SHARDS=0 and SHARDS=1) and `archivist index` as a third
 * process, all on one throwaway PostgreSQL database, each with its own index and data folders.
 * Prints:
 * - the first `archivist index` run, which puts the built index (copied, never written) into the database;
 * - each bot's cold start, spawn → first answer quoting a passage: from the database into an empty
 *   index folder, then restarted on the folder it now holds ("from its own files");
 * - `--edits` times (3): one page of a copy of the docs gets a sentence with a new word and
 *   `archivist index` runs again; from the moment that process exits, each guild is asked about the
 *   word every ~100 ms until the answer quotes the sentence; the time to that answer, per shard;
 * - VmRSS / VmHWM of each bot after answering, and the indexer's peak.
 * Run `npm run build` first; the index must have been built from the docs folder given.
 *
 *   npx tsx bench/pg-cluster.ts --docs seeds --index /tmp/seeds-index --postgres postgres://postgres@127.0.0.1:55502/archivist_test
 *   npx tsx bench/pg-cluster.ts --docs /usr/share/doc/python3.11/html --index /work/idx/py --postgres URL
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
  memoryOf,
  mib,
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
    edits: { type: 'string', default: '3' },
  },
});
const EDITS = Number(values.edits);
/** How long a cold start or the new word's arrival may take before the run is called failed. */
const GIVE_UP_MS = 600_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const { database, root, double, docsDir, indexerDir, pageRel, page, original, question, channels, close } = await startCluster(values, 'pg-cluster');
const running: Spawned[] = [];
try {
  console.log(`docs ${values.docs} (page edited: ${pageRel}), index ${values.index}; question for a first answer: "${question}"`);

  const runIndexer = async (what: string) => {
    const indexer = spawnIndexer({ tempDir: root, docsDir, indexDir: indexerDir, databaseUrl: database.url });
    running.push(indexer);
    const { code } = await indexer.exited;
    if (code !== 0) throw new Error(`archivist index exited with ${code}:\n${indexer.output().slice(-3000)}`);
    console.log(`${what}: archivist index ran ${seconds(indexer.exitedAt! - indexer.startedAt)}, peak ${mib(indexer.peakKb())} (${indexer.lines.find((l) => l.text.startsWith('index ready'))?.text ?? ''})`);
    return indexer;
  };
  await runIndexer('library into the database');

  const bots: Spawned[] = [];
  for (let shard = 0; shard < SHARDS; shard++) {
    const folders = { tempDir: root, docsDir, indexDir: path.join(root, `bot-${shard}`, 'index'), dataDir: path.join(root, `bot-${shard}`, 'data'), databaseUrl: database.url };
    const at = { id: shard, count: SHARDS, channelId: channels[shard]! };
    for (const from of ['the database, empty index folder', 'its own files']) {
      const bot = spawnBot(double, { ...folders, shardCount: SHARDS, shards: String(shard) });
      running.push(bot);
      const ms = await firstAnswer(double, bot, at, question, GIVE_UP_MS);
      const memory = memoryOf(bot.child.pid!)!;
      console.log(`shard ${shard}: cold start from ${from}: ${seconds(ms)} to the first answer; RSS ${mib(memory.rssKb)}, peak ${mib(memory.hwmKb)}`);
      if (from === 'its own files') bots[shard] = bot;
      else await stop(bot);
    }
  }

  for (let edit = 1; edit <= EDITS; edit++) {
    const word = newWord();
    await editPage(page, original, word);
    const indexer = await runIndexer(`edit ${edit} (codeword ${word})`);
    const finished = indexer.exitedAt!;
    const latencies = await Promise.all(
      bots.map(async (bot, shard) => {
        for (let asked = 1; ; asked++) {
          const record = await ask(double, channels[shard]!, codeword.question(word), 30_000);
          const quote = record && quoteOf(record);
          if (quote && codeword.inText(quote) === word) return { shard, ms: record.finalAt! - finished, asked };
          if (bot.exitedAt !== null) throw new Error(`shard ${shard}'s bot exited:\n${bot.output().slice(-3000)}`);
          if (Date.now() - finished > GIVE_UP_MS) throw new Error(`shard ${shard} did not quote the new sentence within ${GIVE_UP_MS} ms`);
          await sleep(100);
        }
      }),
    );
    for (const { shard, ms, asked } of latencies) {
      const memory = memoryOf(bots[shard]!.child.pid!)!;
      console.log(`edit ${edit}, shard ${shard}: the new sentence quoted ${seconds(ms)} after the indexer exited (question ${asked}); RSS ${mib(memory.rssKb)}, peak ${mib(memory.hwmKb)}`);
    }
  }
} finally {
  for (const spawned of running) await killAndWait(spawned);
  await close();
}
