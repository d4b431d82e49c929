// A library over a few Markdown pages written for one test, indexed for real with the bundled encoder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openLibrary, type Library } from '../../src/library.js';
import { createLogger } from '../../src/log.js';

/** One Markdown page: front matter title, a heading and the paragraphs. */
export function page(title: string, paragraphs: string[]): string {
  return `---\ntitle: ${title}\n---\n\n# ${title}\n\n${paragraphs.join('\n\n')}\n`;
}

/** Writes `files` (name → content) to a fresh docs folder and opens a library built from them. */
export async function pagesLibrary(files: Record<string, string>): Promise<{ library: Library; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-pages-'));
  const docs = path.join(dir, 'docs');
  mkdirSync(docs);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(docs, name), content);
  const config = loadConfig({ DOCS_DIR: docs, INDEX_DIR: path.join(dir, 'index'), EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', MODEL_CACHE_DIR: path.join(dir, 'models') }, dir);
  const library = await openLibrary({ config, log: createLogger({ level: 'error' }), refresh: true });
  return {
    library,
    cleanup: async () => {
      await library.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
