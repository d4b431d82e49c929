import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openLibrary, type Library } from '../src/library.js';
import { createLogger } from '../src/log.js';

// Docs copy paragraphs between pages (release notes repeat each other, fragments are included in
// several pages): an answer quotes such a paragraph once, from its best-ranked copy.

const SHARED = 'The nightly backup of the billing database starts at 02:15 and is copied to the Frankfurt vault, where it is kept for ninety days before it is deleted.';

function page(title: string, paragraphs: string[]): string {
  return `---\ntitle: ${title}\n---\n\n# ${title}\n\n${paragraphs.join('\n\n')}\n`;
}

describe('copies of a passage', () => {
  let dir: string;
  let library: Library;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'archivist-copies-'));
    const docs = path.join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(path.join(docs, 'release-3.md'), page('Release notes 3.0', [SHARED]));
    writeFileSync(path.join(docs, 'release-4.md'), page('Release notes 4.0', [SHARED]));
    writeFileSync(path.join(docs, 'backups.md'), page('Backups', ['Backups of the billing database are encrypted with the operations team key before they leave the data centre.']));
    writeFileSync(path.join(docs, 'vacation.md'), page('Vacation', ['Requests for vacation go to your manager at least two weeks ahead.']));
    const config = loadConfig({ DOCS_DIR: docs, INDEX_DIR: path.join(dir, 'index'), EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', MODEL_CACHE_DIR: path.join(dir, 'models') }, dir);
    library = await openLibrary({ config, log: createLogger({ level: 'error' }), refresh: true });
  }, 60_000);

  afterAll(async () => {
    await library?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are quoted once, and the place goes to the next distinct passage', async () => {
    expect(library.status().documents).toBe(4);
    const answer = await library.ask('When does the nightly backup of the billing database start, and where is it kept?', { k: 3 });
    const quotes = answer.results.map((r) => r.quote);
    expect(quotes.filter((q) => q.includes('starts at 02:15'))).toHaveLength(1);
    expect(quotes.some((q) => q.includes('encrypted with the operations team key'))).toBe(true);
  });
});
