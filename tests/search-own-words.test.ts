import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchable, type Library } from '../src/library.js';
import { rank } from '../src/search/search.js';
import { page, pagesLibrary } from './helpers/pages-library.js';

// Questions in the asker's own words: an irregular form of a word the library writes otherwise,
// and words running English mostly uses as verbs, adjectives or adverbs, do not decline a question; a noun the library never
// uses still does, when no passage holds half the question (docs/retrieval-own-words.md, section 9).
describe('words of the asker, not of the library', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      'population.md': page('Population', ['Ukraine’s population shrank by about ten million people between 2014 and 2024, as refugees left and the birth rate fell.']),
      'deployment.md': page('Deployment', ['South Korea’s president described the North Korean deployment to Russia as a grave provocation threatening regional security.']),
      'aid.md': page('Aid', ['Western partners delivered artillery shells and air defence systems to Ukraine throughout the autumn.']),
    }));
  }, 120_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('takes an irregular form from WordNet’s exception lists for English, and for another form of the word', async () => {
    // Without verb.exc, "shrunk" is no English word and no word of the library: a name nobody mentions.
    const answer = await library.ask('How much has Ukraine’s population shrunk since 2014?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.quote).toContain('ten million');
  });

  // The question's terms the library never uses, when they are its subject (see `unknownSubjects`).
  const unknown = async (question: string) => (await rank(searchable(library.loaded), library.embedderInUse, question, { k: 3 })).signals.unknown;

  it('does not take everyday verbs the library never uses for the subject of the question', async () => {
    expect(await unknown('Did the president complain about the deployment?')).toEqual([]);
    expect(await unknown('Did Ukraine get rid of its shells?')).toEqual([]);
  });

  it('does not take a word mostly used as an adverb for the subject, though it is a noun too', async () => {
    expect(await unknown('Did the partners send the shells back?')).toEqual([]);
    expect(await unknown('What housing do the refugees get?')).toEqual(['housing']);
  });

  it('still takes nouns the library never uses, and words of no everyday English, for the subject', async () => {
    expect(await unknown('What salary and pension does the president receive?')).toEqual(['salary', 'pension']);
    expect(await unknown('How do I undo the last git commit?')).toContain('git');
    const nouns = await library.ask('What salary and pension does the president receive each month?', { k: 3 });
    expect(nouns.answered).toBe(false);
  });
});
