import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../src/library.js';
import { page, pagesLibrary } from './helpers/pages-library.js';

// The sentence quoted from a passage is the one holding the question's rarer words: a word the
// whole library uses ("output") says less of what the question asks than one few passages use
// ("flag"), whatever their lengths.

describe('quote choice by how rare the question words are in the library', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      'quiet.md': page('Quiet runs', [
        'The output of the tool is written as plain text lines to the terminal, one line for every file it reads.',
        'Passing the -q flag silences it entirely, which suits scripts that only care whether the run succeeded.',
      ]),
      'build.md': page('Builds', ['The compiler writes its output to the build folder next to the sources, replacing what was there.']),
      'logs.md': page('Logs', ['Each service keeps its output in a rotating log file that is compressed once a week.']),
      'reports.md': page('Reports', ['A report turns the output of a test run into an HTML page with one table per suite.']),
      'pipes.md': page('Pipes', ['A pipe sends the output of one command to the input of the next one in the chain.']),
      'cache.md': page('Cache', ['The cache stores the output of expensive steps so that a second build can skip them.']),
    }));
  }, 120_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('quotes the sentence with the rare word, not the longer common one', async () => {
    const answer = await library.ask('which flag turns the output off?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.quote).toBe('Passing the -q flag silences it entirely, which suits scripts that only care whether the run succeeded.');
  });
});
