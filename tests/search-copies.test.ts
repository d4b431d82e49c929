import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../src/library.js';
import { page, pagesLibrary } from './helpers/pages-library.js';

// Docs copy paragraphs between pages (release notes repeat each other, fragments are included in
// several pages): an answer quotes such a paragraph once, from its best-ranked copy.

const ROLLBACK = 'A failed canary rollout is rolled back automatically within four minutes by the deployment controller.';
const SHARED = 'The nightly backup of the billing database starts at 02:15 and is copied to the Frankfurt vault, where it is kept for ninety days before it is deleted.';

describe('copies of a passage', () => {
  let library: Library;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ library, cleanup } = await pagesLibrary({
      // Each page has its own news too: a page that is nothing but another's text is left out at loading.
      'release-3.md': page('Release notes 3.0', [SHARED, 'Version 3.0 also moved the monthly usage reports to the new analytics dashboard.']),
      'release-4.md': page('Release notes 4.0', [SHARED, 'Version 4.0 adds single sign-on for the admin console and drops the legacy login page.']),
      'backups.md': page('Backups', ['Backups of the billing database are encrypted with the operations team key before they leave the data centre.']),
      'vacation.md': page('Vacation', ['Requests for vacation go to your manager at least two weeks ahead.']),
      // One sentence in two different passages (an example in two module syntaxes does this).
      'deploy-esm.md': page('Deploying with ES modules', [`Import the client with an import statement first. ${ROLLBACK}`]),
      'deploy-cjs.md': page('Deploying with CommonJS', [`Load the client with require() before anything else. ${ROLLBACK}`]),
    }));
  }, 60_000);

  afterAll(async () => {
    await cleanup?.();
  });

  it('are quoted once, and the place goes to the next distinct passage', async () => {
    expect(library.status().documents).toBe(6);
    const answer = await library.ask('When does the nightly backup of the billing database start, and where is it kept?', { k: 3 });
    const quotes = answer.results.map((r) => r.quote);
    expect(quotes.filter((q) => q.includes('starts at 02:15'))).toHaveLength(1);
    expect(quotes.some((q) => q.includes('encrypted with the operations team key'))).toBe(true);
  });

  it('give one quote once, when different passages would both quote it', async () => {
    const answer = await library.ask('How quickly is a failed canary rollout rolled back, and by what?', { k: 3 });
    const quotes = answer.results.map((r) => r.quote);
    expect(quotes.filter((q) => q.includes('rolled back automatically'))).toHaveLength(1);
    expect(new Set(answer.results.map((r) => r.citation.ref)).size).toBe(answer.results.length);
  });
});
