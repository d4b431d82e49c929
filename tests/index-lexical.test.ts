import { describe, expect, it } from 'vitest';
import { LexicalIndex } from '../src/index/lexical-index.js';
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

  it('round-trips through JSON, discarded passages included', async () => {
    const copy = LexicalIndex.loadJSON(JSON.stringify(index));
    expect(copy.size).toBe(4);
    copy.discard([1]);
    await copy.compact();
    expect(copy.search('3794', 5)).toEqual([]);
    const again = LexicalIndex.loadJSON(JSON.stringify(copy));
    expect(again.size).toBe(3);
    expect(again.search('3794', 5)).toEqual([]);
    expect(again.search('tomatoes', 5)[0]?.label).toBe(2);
    expect(index.search('3794', 5)[0]?.label).toBe(1);
  });
});
