import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../src/library.js';
import { renderAnswer } from '../src/format/terminal.js';
import { page, pagesLibrary } from './helpers/pages-library.js';

// A question that names something specific ("in Java", "SIGTERM", "in Docker") is answered only by
// passages that mention it: the library's lambda passages do not answer a question about Java's.

describe('names a question gives', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      'lambdas.md': page('Lambda expressions', ['A lambda expression creates a small anonymous function: the syntax is the keyword lambda, the parameters, a colon and one expression, as in lambda x: x + 1.']),
      'sorting.md': page('Sorting', [
        'sorted(items, key=lambda item: item.price) orders items by price: the key function, often a lambda expression, is called once per item.',
        'The syntax of a conditional expression is x if condition else y; inside a lambda it replaces an if statement.',
      ]),
      'ports.md': page('Ports of the interpreter', ['Jython runs the interpreter on the Java virtual machine and compiles modules to bytecode that loads next to other classes.']),
      'signals.md': page('Signals', ['A service manager sends SIGTERM before it stops a process; signal.signal(signal.SIGTERM, handler) installs a handler that runs the cleanup code first.']),
      'exit.md': page('Exit handlers', ['atexit.register(func) runs func when the process exits normally, which suits cleanup code such as closing log files.']),
      'swap.md': page('Assignment', ['In Python, a, b = b, a swaps two variables without a temporary one.']),
      'interpreter.md': page('The interpreter', ['Python reads a script from top to bottom and runs each statement in turn.']),
    }));
  }, 60_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('never answers a question about a name with passages that leave it out', async () => {
    const plain = await library.ask('what is the syntax for a lambda expression?', { k: 3 });
    expect(plain.answered).toBe(true);
    expect(plain.results[0]!.citation.path).toBe('lambdas.md');
    // The lambda passages match every other word; only the passage that mentions Java may be quoted.
    const java = await library.ask('what is the syntax for a lambda expression in Java?', { k: 3 });
    expect(java.results.map((hit) => hit.citation.path)).toEqual(['ports.md']);
  });

  it('declines a question about a name the library never mentions, and says so', async () => {
    const answer = await library.ask('In Docker, how do I run cleanup code before the process stops?', { k: 3 });
    expect(answer.answered).toBe(false);
    expect(answer.missingNames).toEqual([{ name: 'Docker', inLibrary: false }]);
    expect(renderAnswer(answer)).toContain('The library never mentions “Docker”.');
    // The cleanup passages match the rest, but none is about Docker: no section is offered as nearest.
    expect(answer.nearest).toBeUndefined();
    // One word that gives several terms is named once.
    const compound = await library.ask('how do I run cleanup code in a Docker_Compose service?', { k: 3 });
    expect(compound.missingNames).toEqual([{ name: 'Docker_Compose', inLibrary: false }]);
  });

  it('takes a word derived from a common one for the setting, not a name to require', async () => {
    // "Pythonic" is in no passage, but "Python" is in several: it is the library's subject.
    const answer = await library.ask("What's the Pythonic way to swap two variables?", { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.citation.path).toBe('swap.md');
  });

  it('quotes only the passages that mention the name', async () => {
    const answer = await library.ask('how do I run cleanup code when my process gets SIGTERM?', { k: 3 });
    expect(answer.answered).toBe(true);
    expect(answer.results.length).toBeGreaterThan(0);
    for (const hit of answer.results) expect(hit.passage).toContain('SIGTERM');
    const general = await library.ask('how do I run cleanup code when my process exits?', { k: 3 });
    expect(general.results.some((hit) => hit.passage.includes('atexit.register'))).toBe(true);
  });
});
