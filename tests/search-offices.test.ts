import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lexicon } from '../src/lexicon/expand.js';
import type { Library } from '../src/library.js';
import { capitalisedRuns } from '../src/search/offices.js';
import { page, pagesLibrary } from './helpers/pages-library.js';

// A person the library names by an office once ("Russia’s Foreign Minister Sergey Lavrov") and by
// name alone after: a question naming the office is answered from the passage naming the person,
// and one naming the person from a passage naming only the office.

describe('people named by their office', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      'visit.md': page('The visit', ['Russia’s Foreign Minister Sergey Lavrov received the North Korean delegation in Moscow on Friday, three days after the talks had been announced.']),
      'treaty.md': page('The treaty', ['Lavrov said the agreement was public and that every clause of it had been published.']),
      'alliance.md': page('The alliance', ['The NATO Secretary General, Mark Rutte, confirmed that troops had been sent to the Kursk region.']),
      'allies.md': page('Allies', ['The NATO Secretary General warned that the allies would consult on a response within the week.']),
      'weather.md': page('Weather', ['Heavy rain is expected across the region over the week, with floods near the river.']),
    }));
  }, 120_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('answers a question naming the office from a passage naming only the person', async () => {
    const answer = await library.ask("What did Russia's foreign minister say about the agreement?", { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results.map((hit) => hit.quote).join('\n')).toContain('every clause of it had been published');
  });

  it('counts a passage naming the office as mentioning the person the question names', async () => {
    const answer = await library.ask('What did Mark Rutte say the allies would do about a response?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results.map((hit) => hit.quote).join('\n')).toContain('consult on a response');
  });
});

describe('the parts an office is read with', () => {
  const lexicon = Lexicon.open();

  it('reads runs of capitalised words, a possessive and "of" inside, and marks one after a comma', () => {
    const runs = capitalisedRuns('On Friday, Russia’s Foreign Minister Sergey Lavrov met the NATO Secretary General, Mark Rutte, and US Secretary of State Antony Blinken.');
    expect(runs.map((run) => [run.afterComma, run.words.map((word) => word.text).join(' ')])).toEqual([
      [false, 'On Friday'],
      [true, 'Russia Foreign Minister Sergey Lavrov'],
      [false, 'NATO Secretary General'],
      [true, 'Mark Rutte'],
      [false, 'US Secretary of State Antony Blinken'],
    ]);
  });

  it('tells the country an adjective pertains to, and titles from names and sentence openings', () => {
    expect(lexicon.pertainsTo('Ukrainian')).toContain('Ukraine');
    expect(lexicon.pertainsTo('South Korean')).toContain('South Korea');
    expect(lexicon.pertainsTo('quickly')).toEqual([]);
    for (const title of ['minister', 'president', 'general', 'Secretary of State']) expect(lexicon.isKindOfPerson(title)).toBe(true);
    for (const other of ['yesterday', 'Mark', 'ministry']) expect(lexicon.isKindOfPerson(other)).toBe(false);
  });
});
