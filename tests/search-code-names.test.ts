import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../src/library.js';
import { genericProfile } from '../src/profiles/generic.js';
import { codeNameScorer, codeNames } from '../src/search/identifiers.js';

const codeNameMatch = (names: string[], text: string) => codeNameScorer(names)(text, genericProfile);
import { page, pagesLibrary } from './helpers/pages-library.js';

describe('codeNames', () => {
  it('takes dotted names and names with underscores, as written', () => {
    expect(codeNames('what does functools.lru_cache do? and os.path.join?')).toEqual(['functools.lru_cache', 'os.path.join']);
    expect(codeNames("I added an __eq__ method; what is default_factory for?")).toEqual(['__eq__', 'default_factory']);
    expect(codeNames("if I call sys.exit('config file missing')...")).toEqual(['sys.exit']);
  });

  it('takes nothing from plain words, the end of a sentence or a method on a literal', () => {
    expect(codeNames('How do I read a file line by line. Then what?')).toEqual([]);
    expect(codeNames("why is it ', '.join(items)?")).toEqual([]);
    expect(codeNames('how do I sort a container (e.g. a list, i.e. a sequence) in the U.S. locale?')).toEqual([]);
    expect(codeNames('what does m.group(1) return?')).toEqual(['m.group']);
    expect(codeNames('what does Vec::retain do, and std::collections::HashMap?')).toEqual(['Vec::retain', 'std::collections::HashMap']);
  });
});

describe('codeNameScorer', () => {
  it('counts a name written whole, half for a dotted tail, nothing for its words apart', () => {
    expect(codeNameMatch(['functools.lru_cache'], '@functools.lru_cache(maxsize=128)')).toBe(1);
    expect(codeNameMatch(['sqlite3.Connection.deserialize'], 'Connection.deserialize(data, /, *, name="main")')).toBe(0.5);
    expect(codeNameMatch(['functools.lru_cache'], 'The functools module: lru_cache and cache.')).toBe(0);
    expect(codeNameMatch(['os.path'], 'see os.pathsep and xos.path')).toBe(0);
    expect(codeNameMatch(['a.b', 'c_d'], 'only c_d here')).toBe(0.5);
    expect(codeNameMatch([], 'anything')).toBe(0);
  });

  it('counts half for an entry opened by the last part, as a class lists its methods', () => {
    const entry = "class sqlite3.Connection\n\ndeserialize(data, /, *, name='main')\n\nDeserialize a serialized database.";
    expect(codeNameMatch(['sqlite3.Connection.deserialize'], entry)).toBe(0.5);
    expect(codeNameMatch(['asyncio.Server.wait_closed'], 'coroutine wait_closed()\n\nWait until the close() method completes.')).toBe(0.5);
    expect(codeNameMatch(['os.stat_result.st_fstype'], 'st_fstype\n\nString that identifies the type of the filesystem.')).toBe(0.5);
    // Mentioned in a sentence, the bare name opens nothing.
    expect(codeNameMatch(['sqlite3.Connection.deserialize'], 'Call deserialize(data) on the connection.')).toBe(0);
    expect(codeNameMatch(['asyncio.Queue.join'], 'join the workers before exiting')).toBe(0);
    // rustdoc's signature headings, and tails as Rust writes them.
    expect(codeNameMatch(['Vec::retain'], 'Struct Vec\npub fn retain<F>(&mut self, f: F)\nRetains only the elements specified by the predicate.')).toBe(0.5);
    expect(codeNameMatch(['Vec::retain'], 'Struct Vec\npub fn retain_mut<F>(&mut self, f: F)\nRetains only the elements.')).toBe(0);
    expect(codeNameMatch(['std::collections::HashMap'], 'use collections::HashMap;')).toBe(0.5);
  });
});

describe('a question that writes a code name', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // The shape of the Python docs' functools page: the entry of functools.cache mentions
    // lru_cache twice, and BM25 sees "functools.lru_cache" as three words.
    ({ library, cleanup } = await pagesLibrary({
      'functools.md': page('functools — Higher-order functions', [
        '@functools.cache(user_function)\n\nSimple lightweight unbounded function cache. Returns the same as lru_cache(maxsize=None); it is smaller and faster than lru_cache() with a size limit.',
        '@functools.lru_cache(maxsize=128, typed=False)\n\nDecorator to wrap a function with a memoizing callable that saves up to the maxsize most recent calls.',
        '@functools.total_ordering\n\nGiven a class defining one or more rich comparison ordering methods, this class decorator supplies the rest.',
      ]),
    }));
  }, 60_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('is answered first from the passage that writes it', async () => {
    const answer = await library.ask('what does functools.lru_cache do?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.quote).toContain('Decorator to wrap a function with a memoizing callable');
  });
});
