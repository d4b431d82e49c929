import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAnswer } from '../src/bot/format-answer.js';
import { renderAnswer } from '../src/format/terminal.js';
import type { Library } from '../src/library.js';
import { page, pagesLibrary } from './helpers/pages-library.js';

// A declined question names the sections that came closest when they give the names it asks about
// (see `nearestSections`): the bundled encoder cannot read "Mark Rutte" and scores the passage
// naming him at the floor, so the reader is pointed to it rather than told only "not found".
describe('nearest sections of a declined question', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      'briefing.md': page('Briefing', ['Following a briefing to the North Atlantic Council, the NATO Secretary General, Mark Rutte, said the deployment of troops marked a significant escalation.']),
      'aid.md': page('Aid', ['Western partners delivered artillery shells and air defence systems to Ukraine throughout the autumn.']),
      'population.md': page('Population', ['Ukraine’s population shrank by about ten million people between 2014 and 2024, as refugees left and the birth rate fell.']),
    }));
  }, 120_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('cites the passage that gives the name the question asks about, without quoting it', async () => {
    const answer = await library.ask('What position does Mark Rutte hold?', { k: 3 });
    expect(answer.answered).toBe(false);
    expect(answer.results).toEqual([]);
    expect(answer.nearest?.map((citation) => [citation.ref, citation.title])).toEqual([['briefing:1', 'Briefing']]);
    const text = renderAnswer(answer);
    expect(text).toContain('Not found in the library');
    expect(text).toContain('Nearest sections, not checked to answer it:\n  - Briefing, ¶ 1\n    ref: briefing:1');
    expect(text).not.toContain('significant escalation');
  });

  it('gives a Discord reader the citation and a button to the passage', async () => {
    const answer = await library.ask('What position does Mark Rutte hold?', { k: 3 });
    const parts = formatAnswer(answer, { questionId: 4 });
    expect(parts.embeds[0]!.description).toContain('Nearest sections, not checked to answer it:\n• Briefing, ¶ 1 — `briefing:1`');
    expect(parts.embeds[0]!.fields ?? []).toHaveLength(0);
    const ids = parts.components.flatMap((row) => row.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    expect(ids).toEqual(['ask:p:0:briefing:1', 'ask:fb:4:up', 'ask:fb:4:down']);
  });

  it('names a paragraph once, though several of its pieces came closest', async () => {
    const sentences = [
      'Following a briefing to the North Atlantic Council, the NATO Secretary General, Mark Rutte, said the deployment of troops marked a significant escalation.',
      'Mark Rutte added that the allies were consulting closely with partners in the Indo-Pacific about the next steps.',
      'The council heard from intelligence officials about the numbers involved and the training the units had received in the east.',
      'Rutte said the allies would keep supporting Ukraine with air defence, artillery and training for as long as it takes.',
      'Mark Rutte also said that in return Moscow was sending military technology to help evade international sanctions.',
      'Rutte closed the meeting by thanking the partners for their unity and their resolve in the face of this escalation.',
    ];
    // One long paragraph, cut into several passages: each is cited as the same paragraph.
    const { library: long, cleanup: remove } = await pagesLibrary({
      'briefing.md': page('Briefing', [[...sentences, ...sentences, ...sentences].join(' ')]),
      'aid.md': page('Aid', ['Western partners delivered artillery shells and air defence systems to Ukraine throughout the autumn.']),
    });
    try {
      const question = 'What position does Mark Rutte hold?';
      const ranked = await long.retrieve(question, 3, 'hybrid');
      expect(ranked.answered).toBe(false);
      expect(ranked.hits.filter((hit) => hit.path === 'briefing.md').length).toBeGreaterThanOrEqual(2);
      const answer = await long.ask(question, { k: 3 });
      expect(answer.nearest?.map((citation) => [citation.title, citation.paragraph])).toEqual([['Briefing', 1]]);
    } finally {
      await remove();
    }
  }, 120_000);

  it('names nothing for a question about none of the library', async () => {
    const answer = await library.ask('how do I bake sourdough bread?', { k: 3 });
    expect(answer.answered).toBe(false);
    expect(answer.nearest).toBeUndefined();
    expect(renderAnswer(answer)).not.toContain('Nearest sections');
  });
});
