import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIgnored, parseIgnore } from '../src/corpus/ignore.js';
import { loadCorpus } from '../src/corpus/load.js';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/corpus/ignore');

describe('ignore rules in a docs folder', () => {
  it('skips Sphinx build output, user-ignored files and dot-files silently, and keeps the rest', async () => {
    const { documents, issues } = await loadCorpus(FIXTURE);
    expect(issues).toEqual([]);
    expect(documents.map((d) => d.path)).toEqual([
      // Underscore folders are content outside a Sphinx build (Jekyll posts).
      '_posts/2024-01-01-hello.md',
      // api/.archivistignore brings back one generated page; search.html and py-modindex.html stay out.
      'api/genindex.html',
      // Only the build root's index pages are generated; a subfolder's are ordinary pages.
      'api/guide/genindex.html',
      'api/guide/index.html',
      'api/index.html',
      'keep.tmp.md',
      'sub/notes-2.md',
    ]);
  });
});

describe('gitignore patterns', () => {
  const ignored = (patterns: string, rel: string, isDir = false, base = '') => isIgnored(parseIgnore(patterns, base), rel, isDir);

  it('matches a name without a slash at any depth, and a pattern with one from its own folder', () => {
    expect(ignored('build', 'build', true)).toBe(true);
    expect(ignored('build', 'a/b/build', true)).toBe(true);
    expect(ignored('/build', 'a/build', true)).toBe(false);
    expect(ignored('docs/build', 'docs/build', true)).toBe(true);
    expect(ignored('docs/build', 'x/docs/build', true)).toBe(false);
  });

  it('applies a trailing slash to folders only', () => {
    expect(ignored('tmp/', 'tmp', true)).toBe(true);
    expect(ignored('tmp/', 'tmp', false)).toBe(false);
  });

  it('supports *, ?, character classes and ** without letting * cross a slash', () => {
    expect(ignored('*.md', 'a/b/c.md')).toBe(true);
    expect(ignored('a/*.md', 'a/b/c.md')).toBe(false);
    expect(ignored('a/**/c.md', 'a/c.md')).toBe(true);
    expect(ignored('a/**/c.md', 'a/x/y/c.md')).toBe(true);
    expect(ignored('**/c.md', 'x/c.md')).toBe(true);
    expect(ignored('a/**', 'a/x/y.md')).toBe(true);
    expect(ignored('a/**', 'a', true)).toBe(false);
    expect(ignored('draft-?.md', 'draft-1.md')).toBe(true);
    expect(ignored('draft-?.md', 'draft-10.md')).toBe(false);
    expect(ignored('v[0-9].md', 'v3.md')).toBe(true);
    expect(ignored('v[!0-9].md', 'v3.md')).toBe(false);
    expect(ignored('v[!0-9].md', 'vx.md')).toBe(true);
  });

  it('lets the last matching rule win, negation included, and reads comments and escapes', () => {
    expect(ignored('*.md\n!keep.md', 'keep.md')).toBe(false);
    expect(ignored('!keep.md\n*.md', 'keep.md')).toBe(true);
    expect(ignored('# comment.md', '# comment.md')).toBe(false);
    expect(ignored('\\#literal.md', '#literal.md')).toBe(true);
    expect(ignored('\\!bang.md', '!bang.md')).toBe(true);
    expect(ignored('a.md   ', 'a.md')).toBe(true);
  });

  it('scopes the rules of a nested ignore file to its folder', () => {
    expect(ignored('/x.md', 'sub/x.md', false, 'sub')).toBe(true);
    expect(ignored('/x.md', 'x.md', false, 'sub')).toBe(false);
    expect(ignored('x.md', 'other/x.md', false, 'sub')).toBe(false);
    expect(ignored('x.md', 'sub/deep/x.md', false, 'sub')).toBe(true);
  });
});
