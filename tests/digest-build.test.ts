import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest } from '../src/digest/build.js';
import type { Digest } from '../src/digest/digest.js';
import { keyPointsOf } from '../src/digest/key-points.js';
import { librarySources } from '../src/digest/sources.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { INDEXED_AT, PERIOD, seedActivity } from './helpers/digest-fixtures.js';
import { seedLibrary } from './helpers/seed-library.js';
import { tempSqliteRecords } from './helpers/store.js';

let library: Awaited<ReturnType<typeof seedLibrary>>;
let t: ReturnType<typeof tempSqliteRecords>;
let digest: Digest;
const sources = () => librarySources(() => library);

beforeAll(async () => {
  library = await seedLibrary(new HashEmbedder({ dims: 256 }));
  t = tempSqliteRecords();
  await seedActivity(t.records, library);
  // A bag of words scores a rewording lower than a sentence model does, hence the lower bar here.
  digest = await buildDigest({ ...PERIOD, guildId: 'g1', timezone: 'Europe/Berlin' }, { records: t.records, sources: sources(), options: { duplicateSimilarity: 0.8 } });
});
afterAll(() => {
  t.cleanup();
  library.cleanup();
});

describe('buildDigest over the seed corpus and ten questions', () => {
  it('lists the new documents with verbatim points, each cited by the passage it is in', () => {
    expect(digest.library.map((d) => [d.id, d.change, d.pointsFrom, d.points.length])).toEqual([
      ['isw-north-korean-troops-occupied-ukraine-2024-10-30', 'new', 'key-takeaways', 3],
      ['north-korean-troops-verge-of-war-2024-11-01', 'new', 'central-sentences', 3],
      ['wilson-center-forced-displacement', 'new', 'central-sentences', 3],
    ]);
    for (const entry of digest.library) {
      const doc = library.loaded.documents.get(entry.id)!;
      for (const point of entry.points) {
        expect(doc.text).toContain(point.text);
        const passage = library.loaded.passagesByRef.get(point.ref)!;
        expect(passage.docId).toBe(entry.id);
        expect(passage.text).toContain(point.text.slice(0, 30));
      }
    }
    const isw = digest.library[0]!;
    expect(isw.points[0]!.text).toBe('Western intelligence officials reportedly stated that North Korean troops are in an unspecified area in occupied Ukraine.');
    expect(isw).toMatchObject({ source: 'Institute for the Study of War', date: '2024-10-30' });
  });

  it('lists at most `documents` documents and counts the rest', async () => {
    const capped = await buildDigest({ ...PERIOD, guildId: 'g1', timezone: 'UTC' }, { records: t.records, sources: sources(), options: { documents: 2 } });
    expect([capped.library.length, capped.libraryNotListed]).toEqual([2, 1]);
  });

  it('central sentences come in reading order', () => {
    for (const entry of digest.library.filter((d) => d.pointsFrom === 'central-sentences')) {
      const text = library.loaded.documents.get(entry.id)!.text;
      const offsets = entry.points.map((p) => text.indexOf(p.text));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
  });

  it('groups repeats and rewordings, and quotes the best answer for the most asked', () => {
    const top = digest.mostAsked[0]!;
    expect(top).toMatchObject({ question: 'Where in Russia were most of the North Korean troops sent?', count: 3 });
    expect(top.quote.text).toContain('the vast majority to the Kursk region');
    expect(top.quote.ref).toMatch(/^north-korean-troops-verge-of-war-2024-11-01:\d+$/);
    expect(digest.mostAsked.length).toBeLessThanOrEqual(5);
    expect(digest.mostAsked.every((q) => q.count >= 1 && q.quote.text.length > 0)).toBe(true);
  });

  it('lists under "not found" what got no confident answer or a 👎, and never in both lists', () => {
    const notFound = new Map(digest.notFound.map((q) => [q.question, q]));
    expect(notFound.get('What is the weather in Paris tomorrow?')).toMatchObject({ unanswered: 1, downvotes: 0 });
    // Asked afresh: a declined question about the library names where it came closest; one about nothing in it does not.
    expect(notFound.get('What is the weather in Paris tomorrow?')?.nearest).toBeUndefined();
    expect(notFound.get('When did Ukraine capture parts of Kursk?')?.nearest).toEqual({
      where: 'North Korean troops on verge of entering Russia-Ukraine war',
      ref: 'north-korean-troops-verge-of-war-2024-11-01:2',
    });
    expect(notFound.get('What kind of help has South Korea given Ukraine so far?')?.downvotes).toBe(1);
    for (const q of digest.mostAsked) expect(notFound.has(q.question)).toBe(false);
  });

  it('counts the period\'s questions and the library', () => {
    const { documents, passages } = library.loaded.manifest.counts;
    expect(digest.figures).toMatchObject({ questions: 10, documents, passages });
    expect(digest.figures.answered).toBeGreaterThanOrEqual(7);
  });

  it('keeps to its period and guild; a re-indexed document shows as changed', async () => {
    const other = await buildDigest({ ...PERIOD, guildId: 'g2', timezone: 'UTC' }, { records: t.records, sources: sources() });
    expect(other.figures.questions).toBe(0);

    const later = { since: new Date(PERIOD.until), until: new Date(PERIOD.until.getTime() + 86_400_000) };
    const [first] = library.loaded.documents.values();
    await t.records.recordIndexedDocuments([{ id: first!.id, hash: 'edited' }], new Date(later.since.getTime() + 1000));
    const next = await buildDigest({ ...later, timezone: 'UTC' }, { records: t.records, sources: sources() });
    expect(next.library.map((d) => [d.id, d.change])).toEqual([[first!.id, 'changed']]);
    expect(next.figures.questions).toBe(0);
    expect(INDEXED_AT < PERIOD.until).toBe(true);
  });
});

describe('key points of a document without "Key Takeaways"', () => {
  it('are sentences of its prose, never lines of its code examples', async () => {
    const prose = [
      'Allocates memory with the global allocator, as described by the given layout.',
      'The memory is not initialised, and reading it before writing is undefined behaviour.',
      'Callers must deallocate the memory with the same layout once they no longer need it.',
    ];
    const code = 'use std::alloc::{alloc, dealloc, handle_alloc_error, Layout}; // the allocator API in one line';
    const text = `${prose[0]}\n\n${code}\n\n${prose[1]} ${prose[2]}`;
    const codeStart = text.indexOf(code);
    const doc = {
      id: 'alloc', title: 'alloc', source: null, date: null, url: null, text, keyPoints: [],
      passages: [{ ref: 'alloc:1', start: 0, end: text.length }],
      code: [{ start: codeStart, end: codeStart + code.length }],
    };
    const embedder = new HashEmbedder({ dims: 256 });
    const { points } = await keyPointsOf(doc, (texts) => embedder.embedPassages(texts), 3);
    expect(points.map((p) => p.text)).toEqual(prose);
  });
});
