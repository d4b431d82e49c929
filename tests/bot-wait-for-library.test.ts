import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext } from '../src/bot/context.js';
import { LibraryUnavailableError } from '../src/bot/errors.js';
import { progressText, waitForLibrary } from '../src/bot/wait-for-library.js';
import type { BuildProgress } from '../src/index/indexer.js';
import { updateIndex } from '../src/index/update.js';
import type { LibraryApi } from '../src/library-api.js';
import { createLogger } from '../src/log.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { blockSplitter, largeCorpus } from './helpers/index-fixtures.js';

describe('an index build reports its progress in documents', () => {
  it('from 0 to all of them, batch by batch, on a real build', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'archivist-build-progress-'));
    try {
      const seen: BuildProgress[] = [];
      await updateIndex({
        indexDir: dir,
        documents: largeCorpus(),
        splitter: blockSplitter,
        embedder: new HashEmbedder(),
        hnsw: { m: 8, efConstruction: 64, ef: 32 },
        progress: false,
        onProgress: (progress) => seen.push(progress),
      });
      expect(seen[0]).toEqual({ documents: 0, total: 40 });
      expect(seen.at(-1)).toEqual({ documents: 40, total: 40 });
      // 200 passages in batches of about 128: more than one step, never backwards.
      expect(seen.length).toBeGreaterThan(2);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.documents).toBeGreaterThanOrEqual(seen[i - 1]!.documents);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a question that arrives while the library loads', () => {
  afterEach(() => vi.useRealTimers());

  /** A bot context whose library loads when the test says so, with a build at `progress`. */
  function loadingContext(progress: () => BuildProgress | null) {
    let loaded: LibraryApi | null = null;
    let finish!: (library: LibraryApi) => void;
    const ready = new Promise<LibraryApi>((resolve) => (finish = resolve));
    const ctx = {
      log: createLogger({ write: () => undefined }),
      library: () => {
        if (!loaded) throw new LibraryUnavailableError();
        return loaded;
      },
      libraryLoaded: () => ready,
      buildProgress: progress,
    } as unknown as CommandContext;
    const library = { status: () => ({}) } as unknown as LibraryApi;
    return { ctx, library, load: () => ((loaded = library), finish(library)) };
  }

  it('waits for it, showing nothing while it loads quickly', async () => {
    vi.useFakeTimers();
    const { ctx, library, load } = loadingContext(() => null);
    const shown: string[] = [];
    const waiting = waitForLibrary(ctx, async (text) => shown.push(text));
    await vi.advanceTimersByTimeAsync(20_000);
    load();
    expect(await waiting).toBe(library);
    expect(shown).toEqual([]);
  });

  it('shows a long first build\'s progress as it changes, and returns only after the last note is out', async () => {
    vi.useFakeTimers();
    let progress: BuildProgress = { documents: 120, total: 530 };
    const { ctx, library, load } = loadingContext(() => progress);
    const shown: string[] = [];
    let noteOut!: () => void;
    const waiting = waitForLibrary(ctx, (text) => {
      shown.push(text);
      return new Promise<void>((resolve) => (noteOut = resolve));
    });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(shown).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(shown).toEqual([progressText({ documents: 120, total: 530 })]);
    expect(shown[0]).toMatch(/^Building the index: 120 of 530 documents\./);
    noteOut();
    await vi.advanceTimersByTimeAsync(5_000); // unchanged: not shown again
    progress = { documents: 300, total: 530 };
    await vi.advanceTimersByTimeAsync(5_000);
    expect(shown).toHaveLength(2);
    load();
    let returned = false;
    void waiting.then(() => (returned = true));
    await vi.advanceTimersByTimeAsync(0);
    // The answer would overwrite a note still in flight the other way round.
    expect(returned).toBe(false);
    noteOut();
    expect(await waiting).toBe(library);
  });

  it('returns the library at once when it is loaded', async () => {
    const { ctx, library, load } = loadingContext(() => null);
    load();
    expect(await waitForLibrary(ctx, async () => undefined)).toBe(library);
  });
});
