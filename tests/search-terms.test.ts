import { describe, expect, it } from 'vitest';
import { askedTerms, contentTerms, nameLikeTerms, unknownSubjects, writtenNames } from '../src/search/terms.js';

// Which words of a question the library never mentions are its subject (and so decline it), and
// which are only the asker's context.
describe('nameLikeTerms', () => {
  it('finds capitalised words inside a sentence, acronyms and words with digits', () => {
    expect(nameLikeTerms('In Docker Compose, how do I make the api service wait?')).toEqual(['docker', 'compose']);
    expect(nameLikeTerms('How do I set an AWS S3 lifecycle rule for Glacier?')).toEqual(['aws', 's3', 'glacier']);
    expect(nameLikeTerms('does log4j ship a JSON layout')).toEqual(['log4j', 'json']);
  });

  it('does not take the first word of a sentence for a name', () => {
    expect(nameLikeTerms('Where were the troops sent? Which partners attended?')).toEqual([]);
    expect(nameLikeTerms('Tests fail: Timeouts everywhere')).toEqual([]);
    expect(nameLikeTerms('the build broke overnight\nLogs show a timeout')).toEqual([]);
  });
});

describe('writtenNames', () => {
  it('makes one name of adjacent name words, and keeps names apart otherwise', () => {
    expect(writtenNames('In Docker Compose, how do I make the api service wait?')).toEqual([{ text: 'Docker Compose', terms: ['docker', 'compose'] }]);
    expect(writtenNames('how do I sort strings in English and German?')).toEqual([
      { text: 'English', terms: ['english'] },
      { text: 'German', terms: ['german'] },
    ]);
    expect(writtenNames('move AWS S3 objects to Glacier when I press Ctrl-C')).toEqual([
      { text: 'AWS S3', terms: ['aws', 's3'] },
      { text: 'Glacier', terms: ['glacier'] },
      { text: 'Ctrl', terms: ['ctrl'] },
    ]);
  });
});

describe('unknownSubjects', () => {
  const library = new Set(['take', 'command', 'like', 'deploy', 'my', 'app', 'env', 'prod', 'split', 'word', 'unix', 'shell', 'keeping', 'quoted', 'part', 'together', 'service', 'wait', 'api', 'db', 'until', 'started']);
  const subjects = (question: string) => unknownSubjects(contentTerms(question), (term) => library.has(term));

  it('ignores one ordinary word the library never uses among many it does', () => {
    const question = 'our bot takes commands like deploy "my app" --env prod, how do I split that into words the way a unix shell would, keeping the quoted part together?';
    expect(contentTerms(question)).toContain('bot');
    expect(subjects(question)).toEqual([]);
  });

  it('keeps ordinary unknown words once they are a fifth of the question or more', () => {
    expect(subjects('How do I undo the last git commit?')).toEqual(['undo', 'last', 'git', 'commit']);
    expect(subjects('how does our bot split words?')).toEqual(['bot']);
  });
});

describe('askedTerms', () => {
  it('leaves out the pronouns and adverbs a paraphrase adds, which passages seldom repeat', () => {
    expect(askedTerms(contentTerms('how do I get a package to ask me its setup questions again?'))).toEqual(['package', 'ask', 'setup', 'question']);
    expect(askedTerms(contentTerms('has Ukraine won any ground back recently?'))).toEqual(['ukraine', 'won', 'ground', 'back']);
  });
});
