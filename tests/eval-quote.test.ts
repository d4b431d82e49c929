import { describe, expect, it } from 'vitest';
import { evaluate, type Retrieved } from '../src/eval/evaluate.js';

const passage = 'Kyiv sent troops. Ukraine captured parts of Kursk in August. The offensive was the first since 1945.';

/** A retriever that ranks `passage` first and shows `quote` from it (or nothing, when declined). */
const showing = (quote: string | undefined) => async (): Promise<Retrieved> => ({
  answered: quote !== undefined,
  hits: [{ passage, path: 'war.md', quote }],
});

describe('evaluate: quote@k', () => {
  const questions = [{ q: 'When did Ukraine capture parts of Kursk?', answer: 'in August', pages: [] }];

  it('counts a question whose shown quote holds the answer text', async () => {
    const report = await evaluate(questions, showing('Ukraine captured parts of Kursk in August.'), 3, 'hybrid');
    expect(report.answerAtK).toBe(1);
    expect(report.quoteAtK).toBe(1);
  });

  it('does not count a quote of another sentence of the right passage', async () => {
    const report = await evaluate(questions, showing('Kyiv sent troops.'), 3, 'hybrid');
    expect(report.answerAtK).toBe(1);
    expect(report.quoteAtK).toBe(0);
  });

  it('counts a quote that shows part of a longer answer text, and nothing when the hit is not shown', async () => {
    const long = [{ q: 'What happened in August?', answer: 'in August. The offensive', pages: [] }];
    expect((await evaluate(long, showing('Ukraine captured parts of Kursk in August.'), 3, 'hybrid')).quoteAtK).toBe(1);
    expect((await evaluate(long, showing(undefined), 3, 'hybrid')).quoteAtK).toBe(0);
  });

  it('is null when no question gives an answer text', async () => {
    const report = await evaluate([{ q: 'Where is Kursk?', answer: null, pages: ['war.md'] }], showing('Kyiv sent troops.'), 3, 'hybrid');
    expect(report.quoteAtK).toBeNull();
  });
});
