import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledEmbedder } from '../src/embed/bundled.js';
import type { Embedder } from '../src/embed/embedder.js';
import { questionContent, questionVector } from '../src/embed/question-vector.js';
import { searchable } from '../src/library.js';
import { rank } from '../src/search/search.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { seedLibrary } from './helpers/seed-library.js';

// A question is searched with the mean of its own vector and that of its content, the question
// without "How do I", "What is", "Did"… (docs/retrieval-own-words.md, section 10), unless it writes
// a code name (section 14).
describe('the vector a question is searched with', () => {
  it('takes the interrogative frame off a question, and leaves a text without one as it is', () => {
    expect(questionContent('How do I copy a folder?')).toBe('copy a folder');
    expect(questionContent('What is ACLED?')).toBe('ACLED');
    expect(questionContent('How many people are forcibly displaced worldwide?')).toBe('people are forcibly displaced worldwide');
    expect(questionContent('Did Ukraine’s president talk to his South Korean counterpart?')).toBe('Ukraine’s president talk to his South Korean counterpart');
    expect(questionContent('can I run the ssh daemon on demand?')).toBe('run the ssh daemon on demand');
    expect(questionContent('asyncio.gather timeout')).toBe('asyncio.gather timeout');
    // Nothing but a frame: the question itself.
    expect(questionContent('What?')).toBe('What?');
  });

  it('is the normalised mean of the question’s and its content’s vectors, or the question’s alone without a frame', async () => {
    const embedder = new HashEmbedder();
    const [whole, content] = [await embedder.embedQuery('How do I copy a folder?'), await embedder.embedQuery('copy a folder')];
    const sum = whole.map((x, i) => x + content[i]!);
    const norm = Math.hypot(...sum);
    const vector = await questionVector(embedder, 'How do I copy a folder?');
    vector.forEach((x, i) => expect(x).toBeCloseTo(sum[i]! / norm, 6));
    expect([...(await questionVector(embedder, 'asyncio.gather timeout'))]).toEqual([...(await embedder.embedQuery('asyncio.gather timeout'))]);
  });

  describe('with the bundled encoder on the sample corpus', () => {
    let bundled: Embedder;
    let library: Awaited<ReturnType<typeof seedLibrary>>;
    beforeAll(async () => {
      bundled = await loadBundledEmbedder();
      library = await seedLibrary(bundled);
    }, 120_000);
    afterAll(async () => {
      library?.cleanup();
      await bundled?.close();
    });

    it('embeds a question that writes a code name as asked, and another with its content too', async () => {
      const asked: string[] = [];
      const recording: Embedder = {
        id: bundled.id,
        dims: bundled.dims,
        maxChars: bundled.maxChars,
        embedQuery: (text) => (asked.push(text), bundled.embedQuery(text)),
        embedPassages: (texts, onProgress) => bundled.embedPassages(texts, onProgress),
        close: async () => undefined,
      };
      await rank(searchable(library.loaded), recording, 'How do I use asyncio.gather?', { k: 3 });
      expect(asked).toEqual(['How do I use asyncio.gather?']);
      asked.length = 0;
      await rank(searchable(library.loaded), recording, 'How many people are forcibly displaced worldwide?', { k: 3 });
      expect(asked.sort()).toEqual(['How many people are forcibly displaced worldwide?', 'people are forcibly displaced worldwide']);
    });

    it('answers a paraphrase its frame kept below the similarity the answer rule asks for', async () => {
      // The question's own vector scores the passage 0.43 with a third of the terms: declined.
      const answer = await library.ask('How many people are forcibly displaced worldwide?', { k: 3 });
      expect(answer.answered).toBe(true);
      expect(answer.results.map((hit) => hit.quote).join('\n')).toContain('110 million forced displaced');
    });
  });
});
