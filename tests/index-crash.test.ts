import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddingText } from '../src/index/embedding-text.js';
import { openIndex, readVectors, type LoadedIndex } from '../src/index/store.js';
import type { PauseStage } from '../src/index/test-pause.js';
import { updateIndex } from '../src/index/update.js';
import type { Document } from '../src/types.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { blockSplitter, largeCorpus, sampleCorpus, splitByBlock } from './helpers/index-fixtures.js';

const hnsw = { m: 8, efConstruction: 64, ef: 32 };
const child = path.join(import.meta.dirname, 'helpers', 'index-child.ts');

let indexDir: string;
beforeEach(async () => {
  indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-crash-'));
});
afterEach(async () => {
  await fs.rm(indexDir, { recursive: true, force: true });
});

function update(documents: Document[], embedder: HashEmbedder, log?: (line: string) => void) {
  return updateIndex({ indexDir, documents, splitter: blockSplitter, embedder, hnsw, progress: false, log });
}

/** Starts a build of `corpus` in a child process, waits until it pauses at `stage`, and SIGKILLs it. */
async function killBuildAt(corpus: 'sample' | 'large', stage: PauseStage): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, indexDir, corpus], {
    env: { ...process.env, ARCHIVIST_TEST_PAUSE_AFTER: stage },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`paused after ${stage}`)) resolve();
    });
    proc.on('exit', () => reject(new Error(`the build exited before pausing at ${stage}:\n${stderr}`)));
  });
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

async function open(): Promise<LoadedIndex> {
  const opened = await openIndex(indexDir, hnsw);
  if (!opened.ok) throw new Error(`${opened.reason}: ${opened.message}`);
  return opened.index;
}

async function answers(index: LoadedIndex, question: string): Promise<string | undefined> {
  const [hit] = index.vectorIndex.search(await new HashEmbedder().embedQuery(question), 1);
  return hit && index.passagesByLabel.get(hit.label)?.ref;
}

/** The text of passage `p` (0-based) of large document `d`: a query only that passage matches in full. */
function passageText(d: number, p: number): string {
  return splitByBlock(largeCorpus()[d]!)[p]!.text;
}

function lexicalTop(index: LoadedIndex, question: string): string | undefined {
  const [hit] = index.lexicalIndex.search(question, 1);
  return hit && index.passagesByLabel.get(hit.label)?.ref;
}

describe('a build killed mid-write', () => {
  const stages: Array<[PauseStage, 'previous' | 'new']> = [
    ['files-written', 'previous'],
    ['generation-renamed', 'previous'],
    ['current-swapped', 'new'],
  ];
  for (const [stage, live] of stages) {
    it(`leaves a loadable index when killed after ${stage}`, async () => {
      await update(sampleCorpus(), new HashEmbedder());
      await killBuildAt('large', stage);

      const index = await open();
      if (live === 'previous') {
        expect(index.documents.size).toBe(3);
        expect(await answers(index, 'lentil soup freezes well')).toBe('notes/cooking:2');
      } else {
        expect(index.documents.size).toBe(40);
        expect(lexicalTop(index, passageText(7, 2))).toBe('large/doc-7:3');
      }

      // The next build takes over the dead writer's lock and clears its leftovers.
      const { report } = await update(largeCorpus(), new HashEmbedder());
      expect(report.added + report.unchanged).toBe(40);
      const entries = await fs.readdir(indexDir);
      expect(entries.filter((name) => /^(gen|tmp)-/.test(name))).toHaveLength(1);
      expect(entries).not.toContain('write.lock');
      expect(lexicalTop(await open(), passageText(7, 2))).toBe('large/doc-7:3');
    });
  }
});

describe('a build killed while embedding', () => {
  it('keeps the live index and resumes without re-embedding what was checkpointed', async () => {
    await update(sampleCorpus(), new HashEmbedder());
    await killBuildAt('large', 'checkpoint');

    expect(await answers(await open(), 'sourdough bread rises slowly')).toBe('notes/cooking:1');

    const embedder = new HashEmbedder();
    const lines: string[] = [];
    const { report } = await update(largeCorpus(), embedder, (line) => lines.push(line));
    // The first batch (26 documents, 130 passages) was saved before the kill.
    expect(lines).toContain('resuming an interrupted build: 26 documents were already embedded');
    expect(embedder.embedded).toBe(200 - 130);
    expect(report).toMatchObject({ added: 40, removed: 3, passagesEmbedded: 70 });
    const index = await open();
    expect(lexicalTop(index, passageText(3, 4))).toBe('large/doc-3:5');
    // Every stored vector, checkpointed or fresh, belongs to its own passage.
    const dims = embedder.dims;
    const stored = await readVectors(index);
    for (const passage of index.passagesByLabel.values()) {
      const expected = await embedder.embedQuery(embeddingText(index.documents.get(passage.docId)!, passage));
      expect(Array.from(stored.subarray(passage.label * dims, (passage.label + 1) * dims))).toEqual(Array.from(expected));
    }
    expect(await fs.readdir(indexDir)).not.toContain('.partial');
  });
});
