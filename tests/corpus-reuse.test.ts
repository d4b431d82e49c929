import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/load.js';

// Re-indexing hashes every file but parses only the ones whose bytes changed.
let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'archivist-reuse-'));
  await fs.writeFile(path.join(dir, 'a.md'), '# A\n\nFirst document.\n');
  await fs.writeFile(path.join(dir, 'b.md'), '# B\n\nSecond document.\n');
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

it('reuses the stored document for unchanged bytes and parses the changed file', async () => {
  const first = await loadCorpus(dir);
  const stored = new Map(first.documents.map((doc) => [doc.id, doc]));
  await fs.writeFile(path.join(dir, 'b.md'), '# B\n\nSecond document, edited.\n');
  const asked: string[] = [];
  const second = await loadCorpus(dir, {
    reuse: (id, hash) => {
      asked.push(id);
      const known = stored.get(id);
      return known?.hash === hash ? known : undefined;
    },
  });
  expect(asked).toEqual(['a', 'b']);
  expect(second.documents[0]).toBe(stored.get('a'));
  expect(second.documents[1]).not.toBe(stored.get('b'));
  expect(second.documents[1]!.text).toContain('edited');
  expect(second.documents[1]!.hash).not.toBe(stored.get('b')!.hash);
});
