import { describe, expect, it } from 'vitest';
import MiniSearch from 'minisearch';
import { HEADINGS_BOOST, LexicalIndex, TITLE_BOOST } from '../src/index/lexical-index.js';
import { processTerm, tokenize } from '../src/index/tokenize.js';

const entries = [
  { label: 0, title: 'Artillery guide', headings: 'Calibres', text: 'The M777 howitzer fires 155mm shells.' },
  { label: 1, title: 'Artillery guide', headings: 'Logistics', text: 'Each battery consumed 3,794 rounds during the exercise.' },
  { label: 2, title: 'Gardening notes', headings: '', text: 'Tomatoes need full sun; the gardener’s basil needs shade.' },
  { label: 3, title: 'Drones', headings: 'Batteries', text: 'Spare cells are charged overnight.' },
];

function terms(text: string): string[] {
  return tokenize(text).flatMap((term) => processTerm(term) ?? []);
}

describe('tokenisation', () => {
  it('keeps numbers with thousands separators, decimals and units findable', () => {
    expect(terms('3,794 rounds')).toEqual(['3794', 'round']);
    expect(terms('version 2.5 of 1,000,000')).toEqual(['version', '2.5', '1000000']);
    expect(terms('155mm')).toEqual(['155mm', '155', 'mm']);
    expect(terms('M777')).toEqual(['m777', 'm', '777']);
  });

  it('drops stop words and possessives, folds case, accents and plurals', () => {
    expect(terms("What is the gardener's Café policy on batteries?")).toEqual(['gardener', 'cafe', 'policy', 'battery']);
    expect(terms('not all')).toEqual(['not', 'all']);
  });
});

describe('LexicalIndex', () => {
  const index = LexicalIndex.create();
  index.add(entries);

  it('finds passages by number, unit and model in any written form', () => {
    expect(index.search('3794', 5)[0]?.label).toBe(1);
    expect(index.search('3,794', 5)[0]?.label).toBe(1);
    expect(index.search('155 mm', 5)[0]?.label).toBe(0);
    expect(index.search('155mm shells', 5)[0]?.label).toBe(0);
    expect(index.search('m777', 5)[0]?.label).toBe(0);
  });

  it('ranks a title or heading match above a body match', () => {
    // "battery" is in passage 1's text and passage 3's heading.
    expect(index.search('batteries', 5).map((hit) => hit.label)).toEqual([3, 1]);
  });

  it('does no prefix or fuzzy matching unless asked', () => {
    expect(index.search('howitz', 5)).toEqual([]);
    expect(index.search('howitz', 5, { prefix: true })[0]?.label).toBe(0);
    expect(index.search('howitzr', 5, { fuzzy: 0.2 })[0]?.label).toBe(0);
  });

  it('lists the passages that mention a term in any field, up to a limit', () => {
    expect(index.passagesWith('battery', 5)).toEqual(new Set([1, 3]));
    expect(index.passagesWith('battery', 1)).toBeNull();
    expect(index.passagesWith('zeppelin', 5)).toEqual(new Set());
    // A misspelling finds its near spellings only when asked; a term the corpus has is taken exactly.
    expect(index.passagesWith('howitzr', 5)).toEqual(new Set());
    expect(index.passagesWith('howitzr', 5, { fuzzy: 1 })).toEqual(new Set([0]));
    expect(index.passagesWith('shade', 5, { fuzzy: 1 })).toEqual(new Set([2]));
    const copy = LexicalIndex.create();
    copy.add(entries);
    copy.discard([3]);
    expect(copy.passagesWith('battery', 5)).toEqual(new Set([1]));
  });

  it('round-trips through its binary form, discarded passages included', async () => {
    const copy = LexicalIndex.deserialize(await index.serialize());
    expect(copy.size).toBe(4);
    copy.discard([1]);
    expect(copy.search('3794', 5)).toEqual([]);
    await copy.compact();
    expect(copy.search('3794', 5)).toEqual([]);
    const again = LexicalIndex.deserialize(await copy.serialize());
    expect(again.size).toBe(3);
    expect(again.search('3794', 5)).toEqual([]);
    expect(again.search('tomatoes', 5)[0]?.label).toBe(2);
    const fresh = LexicalIndex.create();
    fresh.add(entries.filter((entry) => entry.label !== 1));
    expect(again.search('batteries gardener', 5)).toEqual(fresh.search('batteries gardener', 5));
    expect(LexicalIndex.deserialize(await index.serialize()).search('batteries', 5)).toEqual(index.search('batteries', 5));
    expect(index.search('3794', 5)[0]?.label).toBe(1);
  });

  it('lets a discarded label be reused at once without reviving its old postings', () => {
    const copy = LexicalIndex.create();
    copy.add(entries);
    copy.discard([0]);
    copy.add([{ label: 0, title: 'Orchard', headings: '', text: 'Apples ripen in September.' }]);
    expect(copy.size).toBe(4);
    expect(copy.search('howitzer', 5)).toEqual([]);
    expect(copy.search('apples', 5).map((hit) => hit.label)).toEqual([0]);
    expect(() => copy.add([{ label: 0, title: '', headings: '', text: 'again' }])).toThrow(/already indexed/);
    expect(() => copy.discard([42])).toThrow(/not indexed/);
  });

  it('refuses a damaged file', async () => {
    const bytes = await index.serialize();
    expect(() => LexicalIndex.deserialize(bytes.subarray(0, bytes.length - 3))).toThrow(/does not match/);
    const wrong = new Uint8Array(bytes);
    wrong[0] = 0;
    expect(() => LexicalIndex.deserialize(wrong)).toThrow(/magic/);
  });
});

describe('LexicalIndex scores as MiniSearch did', () => {
  // The index replaced MiniSearch (BM25+, same options); rankings and score scales must not move.
  const words = ('river bridge castle orchard harbour mill canal forest battery howitzer shell round ' +
    'exercise tomato basil bread soup lentil kitchen drone cell charge night calibre logistics crew ' +
    'deployment month distance gardener shade sun water prune flower sourdough freeze week train coast').split(' ');
  const random = (() => {
    let state = 7;
    return () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  })();
  // Zipf-ish word choice: a few common words, a long tail, some stop words and numbers.
  const word = () => (random() < 0.1 ? 'the' : random() < 0.05 ? String(Math.floor(random() * 3000)) : words[Math.floor(words.length * random() ** 2)]!);
  const sentence = (n: number) => Array.from({ length: 1 + Math.floor(random() * n) }, word).join(' ');
  const corpus = Array.from({ length: 600 }, (_, label) => ({ label, title: sentence(4), headings: random() < 0.3 ? '' : sentence(3), text: sentence(60) }));
  const queries = [...Array.from({ length: 120 }, () => sentence(4)), 'battery batteries', 'the', '155mm howitzer', 'river river canal', 'zzz'];

  function miniSearch(docs: typeof corpus): MiniSearch<(typeof corpus)[number]> {
    const mini = new MiniSearch<(typeof corpus)[number]>({ idField: 'label', fields: ['text', 'title', 'headings'], storeFields: [], tokenize, processTerm, autoVacuum: false });
    mini.addAll(docs);
    return mini;
  }
  function expectSame(ours: LexicalIndex, mini: MiniSearch<(typeof corpus)[number]>, options: { prefix?: boolean; fuzzy?: number } = {}) {
    // Misspellings too, so fuzzy matching has something to find.
    for (const query of [...queries, 'rivr', 'brigde', 'hovitzer', 'orchards', 'logistic', 'sourdogh bread', 'calibr']) {
      const expected = mini
        .search(query, { boost: { title: TITLE_BOOST, headings: HEADINGS_BOOST }, prefix: options.prefix ?? false, fuzzy: options.fuzzy ?? false, combineWith: 'OR' })
        .slice(0, 10);
      const actual = ours.search(query, 10, options);
      expect(actual.map((hit) => hit.label), query).toEqual(expected.map((hit) => hit.id));
      actual.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 9));
    }
  }

  it('gives the same top 10 and scores on a generated corpus', () => {
    const ours = LexicalIndex.create();
    ours.add(corpus);
    expectSame(ours, miniSearch(corpus));
  });

  it('with prefix and fuzzy matching', () => {
    const ours = LexicalIndex.create();
    ours.add(corpus);
    const mini = miniSearch(corpus);
    expectSame(ours, mini, { prefix: true });
    expectSame(ours, mini, { fuzzy: 0.2 });
    expectSame(ours, mini, { fuzzy: 1 });
    expectSame(ours, mini, { fuzzy: 2 });
    expectSame(ours, mini, { prefix: true, fuzzy: 0.3 });
  });

  it('says whether a search would find anything, without searching', () => {
    const ours = LexicalIndex.create();
    ours.add(corpus);
    ours.discard([0, 1, 2]);
    for (const query of [...queries, 'rivr', 'brigde', 'hovitzer', 'xylophone', 'the', '']) {
      for (const options of [{}, { fuzzy: 1 }, { prefix: true }, { fuzzy: 0.2, prefix: true }]) {
        expect(ours.has(query, options), `${query} ${JSON.stringify(options)}`).toBe(ours.search(query, 1, options).length > 0);
      }
    }
  });

  it('after passages are discarded and their labels reused, compacted and reloaded', async () => {
    const replaced = corpus.slice(0, 100).map((entry) => ({ ...entry, text: sentence(40) }));
    const ours = LexicalIndex.create();
    ours.add(corpus);
    ours.discard(replaced.map((entry) => entry.label));
    ours.add(replaced);
    const mini = miniSearch(corpus);
    for (const entry of replaced) mini.discard(entry.label);
    await mini.vacuum();
    mini.addAll(replaced);
    expectSame(LexicalIndex.deserialize(await ours.serialize()), mini);
  });
});
