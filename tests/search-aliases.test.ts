import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../src/library.js';
import { page, pagesLibrary } from './helpers/pages-library.js';

// A name the question writes is mentioned by a passage that gives another name for it: an acronym
// the library defines ("… Data Project (ACLED)") or WordNet's ("UN" for the United Nations). A
// name nobody mentions in any form is still missing: a made-up member of a known module, a product the library never names.

describe('other names of the names a question gives', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      // Two passages write ACLED: more than the 0.2% share of a small library allows a name.
      'monitors.md': page('Monitors', ['According to the Armed Conflict Location & Event Data Project (ACLED), a data collection and crisis mapping project, fighting has spread to the border regions.']),
      'casualties.md': page('Casualties', ['In the same period on Russian territory, ACLED has recorded 3,794 conflict-related fatalities, most of them in battles.']),
      'refugees.md': page('Refugees', ['The UN estimates that the number of Ukrainian refugees has now reached 6.7 million, most of them women and children.']),
      'asyncio.md': page('Coroutines and tasks', ['asyncio.create_task(coro) wraps the coroutine into a Task and schedules its execution on the running event loop.']),
      // South Korea is in more passages than a rare name, Kyiv in one, and the answer says Ukraine.
      'aid.md': page('Aid', ['South Korea has limited its assistance to Ukraine to humanitarian aid so far, officials in Seoul said.']),
      'talks.md': page('Talks', ['South Korea and Ukraine discussed closer intelligence cooperation in October.']),
      'arms.md': page('Arms', ['South Korea sold tanks and howitzers to Poland, a key ally of Kyiv, two years ago.']),
      'troops.md': page('Troops', ['South Korea says that North Korea has sent thousands of troops to Russia.']),
      'exports.md': page('Exports', ['South Korea is one of the largest exporters of artillery in the world.']),
      'csv.md': page('CSV files', ['csv.writer(file) returns a writer object that converts rows of values into delimited strings, as in a spreadsheet exported from Excel.']),
    }));
  }, 120_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('answers about an acronym from the passage that defines it', async () => {
    const answer = await library.ask('What is ACLED?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results.map((hit) => hit.passage).join('\n')).toContain('Armed Conflict Location & Event Data Project (ACLED)');
  });

  it('takes an acronym WordNet gives for a name the passage does not spell out', async () => {
    const answer = await library.ask('How many refugees has Ukraine produced, per the United Nations?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.quote).toContain('6.7 million');
  });

  it('takes a capital written as today’s English writes it for its country (Kyiv, which WordNet spells Kiev)', async () => {
    const answer = await library.ask('What kind of help has South Korea given Kyiv so far?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.quote).toContain('humanitarian aid');
  });

  it('still declines a made-up member of a known module and a product the library never names', async () => {
    const broker = await library.ask('How do I schedule a coroutine with asyncio.ParallelBroker?', { k: 3 });
    expect(broker.answered).toBe(false);
    expect(broker.missingNames).toEqual([{ name: 'ParallelBroker', inLibrary: false }]);
    const openpyxl = await library.ask('How do I freeze the top row of an Excel sheet with openpyxl?', { k: 3 });
    expect(openpyxl.answered).toBe(false);
    expect(openpyxl.missingNames).toEqual([{ name: 'openpyxl', inLibrary: false }]);
  });
});
