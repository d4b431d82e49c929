import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTML_PARSER_VERSION, LOADER_VERSION, loadCorpus } from '../src/corpus/load.js';
import { loadConfig } from '../src/config.js';
import { openLibrary } from '../src/library.js';
import { createLogger } from '../src/log.js';
import { passageUrl } from '../src/sources/url.js';
import type { Document, LoadIssue } from '../src/types.js';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/corpus/sources');
const DOCS_SOURCE = { source: 'Team docs', baseUrl: 'https://docs.example.com/handbook' };

function byPath(documents: Document[], rel: string): Document {
  const doc = documents.find((d) => d.path === rel);
  if (!doc) throw new Error(`no document ${rel}`);
  return doc;
}

describe('archivist.sources.json', () => {
  let documents: Document[];
  let issues: LoadIssue[];
  beforeAll(async () => {
    ({ documents, issues } = await loadCorpus(FIXTURE, { docsSource: DOCS_SOURCE }));
  });

  it('maps a folder to a source and base URL, over what the page says of itself', () => {
    // The page's canonical link points at docs.python.org/3/; the configured 3.11 address wins.
    expect(byPath(documents, 'python/library/queue.html')).toMatchObject({
      id: 'python/library/queue',
      source: 'Python 3.11 documentation',
      url: 'https://docs.python.org/3.11/library/queue.html',
    });
  });

  it('keeps the URL and source a file declares in its front matter', () => {
    expect(byPath(documents, 'team/setup.md')).toMatchObject({ source: 'Team wiki', url: 'https://wiki.example.com/setup' });
    const onCall = byPath(documents, 'team/on-call.md');
    expect(onCall.source).toBe('Team wiki');
    // The team entry has no baseUrl; the environment's "." rule does not fill it in.
    expect(onCall.url).toBeUndefined();
  });

  it('uses DOCS_SOURCE and DOCS_BASE_URL for what no entry covers, with the path URL-encoded', () => {
    expect(byPath(documents, 'release notes.txt')).toMatchObject({
      source: 'Team docs',
      url: 'https://docs.example.com/handbook/release%20notes.txt',
    });
  });

  it('reports bad entries once each, loads the good ones and never reads the file as a document', () => {
    expect(documents.map((d) => d.path)).not.toContain('archivist.sources.json');
    expect(issues.map((i) => [i.level, i.message])).toEqual([
      ['warning', 'entry 3: there is no folder "pyhton"'],
      ['error', 'entry 4 ignored: "folder" "../elsewhere" must be a path inside the docs folder'],
      ['error', 'entry 5 ignored: unknown key "baseURL" (the keys are folder, source, baseUrl)'],
      ['error', 'entry 6 ignored: folder "team" is already listed'],
    ]);
    expect(issues.every((i) => i.path === 'archivist.sources.json')).toBe(true);
  });

  it('puts the applied entry into the hash, so that a new base URL reaches the index', async () => {
    const raw = await readFile(path.join(FIXTURE, 'python/library/queue.html'));
    const plain = createHash('sha256').update(raw).update(LOADER_VERSION).update(HTML_PARSER_VERSION).digest('hex');
    expect(byPath(documents, 'python/library/queue.html').hash).not.toBe(plain);
    const { documents: again } = await loadCorpus(FIXTURE);
    expect(byPath(again, 'python/library/queue.html').hash).toBe(byPath(documents, 'python/library/queue.html').hash);
    expect(byPath(again, 'release notes.txt').hash).not.toBe(byPath(documents, 'release notes.txt').hash);
  });
});

describe('sources without a file', () => {
  it('applies the environment to the whole folder, and the page markup where nothing is configured', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'archivist-sources-'));
    try {
      await cp(path.join(FIXTURE, 'python'), dir, { recursive: true });
      const withEnv = await loadCorpus(dir, { docsSource: { baseUrl: 'https://docs.python.org/3.11/' } });
      expect(withEnv.documents[0]).toMatchObject({
        url: 'https://docs.python.org/3.11/library/queue.html',
        source: 'Python 3.11.2 documentation',
      });
      const bare = await loadCorpus(dir);
      expect(bare.documents[0]).toMatchObject({ url: 'https://docs.python.org/3/library/queue.html', source: 'Python 3.11.2 documentation' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a base URL that is not an absolute http(s) address', async () => {
    await expect(loadCorpus(FIXTURE, { docsSource: { baseUrl: 'docs.example.com' } })).rejects.toThrow(/DOCS_BASE_URL/);
  });

  it('reports a sources file that is not a JSON array as one error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'archivist-sources-'));
    try {
      await writeFile(path.join(dir, 'archivist.sources.json'), '{ "folder": "." ');
      await writeFile(path.join(dir, 'a.md'), 'Text.\n');
      const { documents, issues } = await loadCorpus(dir);
      expect(documents.map((d) => d.path)).toEqual(['a.md']);
      expect(issues).toEqual([{ path: 'archivist.sources.json', level: 'error', message: expect.stringMatching(/^not loaded: /) }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('DOCS_SOURCE and DOCS_BASE_URL from the configuration', () => {
  it('reach the documents a library builds, whatever the process environment holds', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'archivist-sources-config-'));
    try {
      await writeFile(path.join(dir, 'leave.md'), '# Leave\n\nAsk for leave two weeks ahead in the team calendar.\n');
      const env = { DOCS_DIR: dir, INDEX_DIR: path.join(dir, '.index'), EMBEDDING_MODEL: 'bundled', ARCHIVIST_OFFLINE: '1', DOCS_SOURCE: 'HR handbook', DOCS_BASE_URL: 'https://hr.example.com/' };
      expect(process.env.DOCS_SOURCE).toBeUndefined();
      const library = await openLibrary({ config: loadConfig(env, dir), log: createLogger({ level: 'error', write: () => {} }), refresh: true });
      try {
        expect(library.documents()).toEqual([expect.objectContaining({ source: 'HR handbook', url: 'https://hr.example.com/leave.md' })]);
      } finally {
        await library.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('passageUrl', () => {
  const url = 'https://docs.python.org/3.11/library/queue.html';

  it('links to the passage anchor in the document', () => {
    expect(passageUrl({ url }, { anchor: 'queue.Queue.qsize' })).toBe(`${url}#queue.Queue.qsize`);
  });

  it('links to the page when the passage has no anchor, and to nothing without a URL', () => {
    expect(passageUrl({ url }, {})).toBe(url);
    expect(passageUrl({}, { anchor: 'queue-objects' })).toBeNull();
  });

  it('replaces a fragment of the document URL and encodes what would break a link', () => {
    expect(passageUrl({ url: `${url}#top` }, { anchor: 'queue-objects' })).toBe(`${url}#queue-objects`);
    expect(passageUrl({ url }, { anchor: 'größe (v2) #1' })).toBe(`${url}#gr%C3%B6%C3%9Fe%20%28v2%29%20%231`);
  });
});
