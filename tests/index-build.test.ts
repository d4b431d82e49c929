import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE_PASSAGES } from '../src/embed/similarity-scale.js';
import { buildIndex } from '../src/index/indexer.js';
import { openIndex } from '../src/index/store.js';
import { HashEmbedder } from './helpers/hash-embedder.js';

// buildIndex end to end: the real loader and splitter over Markdown files on disk.
const hnsw = { m: 8, efConstruction: 64, ef: 32 };

let root: string;
let docsDir: string;
let indexDir: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-build-'));
  docsDir = path.join(root, 'docs');
  indexDir = path.join(root, 'index');
  await fs.mkdir(path.join(docsDir, 'ops'), { recursive: true });
  await fs.writeFile(
    path.join(docsDir, 'ops', 'backups.md'),
    '# Backups\n\n## Schedule\n\nNightly snapshots of the database run at two in the morning.\n\n## Restore\n\nRestoring a snapshot takes about forty minutes for the main cluster.\n',
  );
  await fs.writeFile(path.join(docsDir, 'onboarding.md'), '# Onboarding\n\nNew starters get a laptop and a security badge on their first day.\n');
  await fs.writeFile(path.join(docsDir, 'diagram.png'), 'not text');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function build(embedder: HashEmbedder) {
  return buildIndex({ docsDir, indexDir, embedder, hnsw, progress: false });
}

describe('buildIndex', () => {
  it('indexes a docs folder and then re-embeds only the edited file', async () => {
    const first = new HashEmbedder({ maxChars: 120 });
    const { report } = await build(first);
    expect(report).toMatchObject({ added: 2, changed: 0, removed: 0, unchanged: 0 });
    // The embedder also embedded the reference passages that measure its similarity scale.
    expect(report.passagesEmbedded).toBe(first.embedded - REFERENCE_PASSAGES);
    expect(report.issues).toEqual([expect.objectContaining({ path: 'diagram.png', level: 'warning' })]);

    const opened = await openIndex(indexDir, hnsw, { embedder: first });
    if (!opened.ok) throw new Error(opened.message);
    const [hit] = opened.index.lexicalIndex.search('how long does restoring a snapshot take', 1);
    const passage = opened.index.passagesByLabel.get(hit!.label)!;
    expect(passage.docId).toBe('ops/backups');
    expect(passage.text).toContain('forty minutes');
    expect(passage.headingPath).toContain('Restore');

    await fs.appendFile(path.join(docsDir, 'onboarding.md'), '\nBadges are collected from reception.\n');
    const second = new HashEmbedder({ maxChars: 120 });
    const { index, report: again } = await build(second);
    expect(again).toMatchObject({ added: 0, changed: 1, removed: 0, unchanged: 1 });
    expect(second.embedded).toBe(index.passagesByDoc.get('onboarding')!.length);
    expect(second.texts.every((text) => text.startsWith('Onboarding'))).toBe(true);
  });

  it('keeps the page index in step: changed pages re-scored, new ones added, removed ones gone', async () => {
    const embedder = new HashEmbedder({ maxChars: 120 });
    await build(embedder);
    await fs.writeFile(path.join(docsDir, 'onboarding.md'), '# Onboarding\n\nNew starters collect a parking permit from facilities.\n');
    await fs.writeFile(path.join(docsDir, 'travel.md'), '# Travel\n\nBook trains through the travel desk; parking at stations is refunded.\n');
    await fs.rm(path.join(docsDir, 'ops', 'backups.md'));
    const { index } = await build(embedder);
    const pages = (query: string) => index.pageIndex.search(query, 5).map((hit) => index.documentByPage.get(hit.label));
    expect(pages('parking permit')).toEqual(['onboarding', 'travel']);
    expect(pages('security badge laptop')).toEqual([]);
    expect(pages('snapshot restore')).toEqual([]);

    const reopened = await openIndex(indexDir, hnsw);
    if (!reopened.ok) throw new Error(reopened.message);
    expect(reopened.index.pageIndex.search('parking permit', 5).map((hit) => reopened.index.documentByPage.get(hit.label))).toEqual(['onboarding', 'travel']);
  });
});
