import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTML_PARSER_VERSION, LOADER_VERSION, loadCorpus, MARKDOWN_PARSER_VERSION } from '../src/corpus/load.js';
import { decodeDocument } from '../src/corpus/decode.js';
import { parseHtml } from '../src/corpus/html.js';
import { issueLines } from '../src/corpus/issue-lines.js';
import { parseMarkdown } from '../src/corpus/markdown.js';
import { parseText } from '../src/corpus/text.js';
import { isoDate } from '../src/corpus/meta.js';
import type { Document, LoadIssue } from '../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SEEDS = path.join(ROOT, 'seeds');
const FIXTURES = path.join(ROOT, 'tests/fixtures/corpus');

const ISW = 'isw-north-korean-troops-occupied-ukraine-2024-10-30';
const WILSON = 'wilson-center-forced-displacement';
const NK = 'north-korean-troops-verge-of-war-2024-11-01';

function byId(documents: Document[], id: string): Document {
  const doc = documents.find((d) => d.id === id);
  if (!doc) throw new Error(`no document ${id}; have ${documents.map((d) => d.id).join(', ')}`);
  return doc;
}

const slice = (doc: Document, span: { start: number; end: number }) => doc.text.slice(span.start, span.end);

/** The article bodies of the shared source texts, cut exactly as the seeds were made. */
async function originalBodies(): Promise<Record<string, string>> {
  const read = async (name: string) => (await readFile(path.join(FIXTURES, 'originals', name), 'utf8')).split('\n');
  const first = await read('000_72f239d426a00d2e.txt');
  const share = first.indexOf('Share the Post:');
  expect(first.slice(0, 6)).toEqual([
    'October 30, 2024',
    '',
    'Institute for the Study of War: \u00a0N. Korean troops turn up in occupied Ukraine',
    '',
    'Institute for the Study of War',
    '',
  ]);
  expect(first.slice(share + 1, share + 4)).toEqual(['', 'Wilson Center', '']);
  const second = await read('004_7e7ba7c60fd792eb.txt');
  expect(second.slice(0, 4)).toEqual(['North Korean troops on verge of entering Russia-Ukraine war', '', '1 November 2024', '']);
  return {
    [ISW]: first.slice(6, share).join('\n'),
    [WILSON]: first.slice(share + 4).join('\n'),
    [NK]: second.slice(4).join('\n'),
  };
}

describe('seeds', () => {
  let documents: Document[];
  let issues: LoadIssue[];
  beforeAll(async () => {
    ({ documents, issues } = await loadCorpus(SEEDS));
  });

  it('loads one document per article, without issues', () => {
    expect(issues).toEqual([]);
    expect(documents.map((d) => d.id)).toEqual([ISW, NK, WILSON]);
  });

  it('has the front matter metadata, and no invented URL', () => {
    expect(byId(documents, ISW)).toMatchObject({
      title: 'N. Korean troops turn up in occupied Ukraine',
      source: 'Institute for the Study of War',
      date: '2024-10-30',
    });
    expect(byId(documents, NK)).toMatchObject({
      title: 'North Korean troops on verge of entering Russia-Ukraine war',
      date: '2024-11-01',
    });
    expect(byId(documents, WILSON)).toMatchObject({ source: 'Wilson Center' });
    expect(byId(documents, WILSON).date).toBeUndefined();
    for (const doc of documents) expect(doc.url).toBeUndefined();
  });

  it('keeps each seed file body identical to the source apart from the added heading markers', async () => {
    const bodies = await originalBodies();
    for (const [id, body] of Object.entries(bodies)) {
      const seed = await readFile(path.join(SEEDS, `${id}.md`), 'utf8');
      const seedBody = seed.slice(seed.indexOf('\n---\n', 3) + 5).replace(/^\n/, '');
      expect(seedBody.replace(/^## /gm, '').trimEnd()).toBe(body.trimEnd());
    }
  });

  it('contains every sentence and every line of the original article bodies verbatim', async () => {
    const bodies = await originalBodies();
    const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
    for (const [id, body] of Object.entries(bodies)) {
      const { text } = byId(documents, id);
      const sentences = [...segmenter.segment(body)].map((s) => s.segment.trim()).filter((s) => s !== '');
      expect(sentences.length).toBeGreaterThan(5);
      for (const sentence of sentences) expect(text).toContain(sentence);
      for (const line of body.split('\n').filter((l) => l.trim() !== '')) expect(text).toContain(line.trim());
    }
  });

  it('turns the section headings of the 1 November piece into heading paths and slug anchors', () => {
    const doc = byId(documents, NK);
    const heading = 'South Korea to deepen support for Ukraine?';
    expect(doc.text).toContain(`\n\n${heading}\n\n`);
    expect(doc.text).not.toContain('## ');
    const paths = [...new Set(doc.blocks.map((b) => JSON.stringify(b.headingPath)))];
    expect(paths).toEqual([
      '[]',
      '["Casualties continue to rise"]',
      '["The response from Moscow"]',
      `["${heading}"]`,
    ]);
    const last = doc.blocks[doc.blocks.length - 1]!;
    expect(last.anchor).toBe('south-korea-to-deepen-support-for-ukraine');
    for (const block of doc.blocks) expect(slice(doc, block)).not.toBe(heading);
  });

  it('records the Key Takeaways bullets as key points, without glyph or indentation', async () => {
    const doc = byId(documents, ISW);
    const bullets = (await readFile(path.join(FIXTURES, 'originals/000_72f239d426a00d2e.txt'), 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('  • '))
      .map((line) => line.slice(4));
    expect(bullets).toHaveLength(8);
    expect(doc.keyPoints?.map((k) => slice(doc, k))).toEqual(bullets);
    expect(doc.text).toContain('Key Takeaways:\n\n  • Western intelligence');
    expect(byId(documents, NK).keyPoints).toBeUndefined();
  });

  it('keeps blocks ordered, non-overlapping and trimmed', () => {
    for (const doc of documents) {
      let previousEnd = 0;
      for (const block of doc.blocks) {
        expect(block.start).toBeGreaterThanOrEqual(previousEnd);
        expect(block.end).toBeGreaterThan(block.start);
        expect(slice(doc, block)).toBe(slice(doc, block).trim());
        previousEnd = block.end;
      }
    }
  });

  it('hashes the raw bytes together with the loader and Markdown parser versions', async () => {
    const raw = await readFile(path.join(SEEDS, `${WILSON}.md`));
    const expected = createHash('sha256').update(raw).update(LOADER_VERSION).update(MARKDOWN_PARSER_VERSION).digest('hex');
    expect(byId(documents, WILSON).hash).toBe(expected);
  });
});

describe('mixed fixture folder', () => {
  let dir: string;
  let documents: Document[];
  let issues: LoadIssue[];
  beforeAll(async () => {
    // node_modules is git-ignored, so the folders that must be skipped are added to a copy here.
    dir = await mkdtemp(path.join(os.tmpdir(), 'archivist-corpus-'));
    await cp(path.join(FIXTURES, 'mixed'), dir, { recursive: true });
    await mkdir(path.join(dir, 'node_modules/pkg'), { recursive: true });
    await writeFile(path.join(dir, 'node_modules/pkg/readme.md'), '# Not docs\n\nSkipped.\n');
    ({ documents, issues } = await loadCorpus(dir));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the good files in path order with POSIX ids', () => {
    expect(documents.map((d) => [d.id, d.path])).toEqual([
      ['dup', 'dup.md'],
      ['guides/html/page', 'guides/html/page.html'],
      ['guides/setup', 'guides/setup.md'],
      ['guides/undated', 'guides/undated.md'],
      ['notes', 'notes.txt'],
    ]);
  });

  it('reports each bad or skipped file once and keeps going', () => {
    expect(issues.map((i) => [i.path, i.level])).toEqual([
      ['diagram.png', 'warning'],
      ['dup.txt', 'warning'],
      ['guides/broken.md', 'error'],
      ['guides/empty.md', 'warning'],
      ['guides/evil.md', 'error'],
      ['guides/latin1.txt', 'error'],
      ['guides/undated.md', 'warning'],
    ]);
    const message = (p: string) => issues.find((i) => i.path === p)!.message;
    expect(message('diagram.png')).toContain('".png"');
    expect(message('guides/broken.md')).toMatch(/^not loaded: bad front matter: .*line \d+/);
    expect(message('guides/evil.md')).toContain('JavaScript front matter is not allowed');
    expect(message('guides/latin1.txt')).toContain('not valid UTF-8');
    expect(message('guides/undated.md')).toBe('front matter date "sometime soon" is not a date; ignored');
    expect(byId(documents, 'guides/undated').date).toBeUndefined();
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it may not read as an error', async () => {
    const locked = await mkdtemp(path.join(os.tmpdir(), 'archivist-locked-'));
    try {
      await writeFile(path.join(locked, 'ok.md'), 'Readable.\n');
      await writeFile(path.join(locked, 'secret.md'), 'Unreadable.\n', { mode: 0o000 });
      const result = await loadCorpus(locked);
      expect(result.documents.map((d) => d.id)).toEqual(['ok']);
      expect(result.issues).toEqual([{ path: 'secret.md', level: 'error', message: expect.stringContaining('EACCES') }]);
    } finally {
      await rm(locked, { recursive: true, force: true });
    }
  });

  describe('markdown', () => {
    it('reads front matter, with a YAML date turned into an ISO date', () => {
      expect(byId(documents, 'guides/setup')).toMatchObject({
        title: 'Setup guide',
        source: 'Team wiki',
        date: '2024-03-05',
        url: 'https://wiki.example.com/setup',
      });
    });

    it('makes blocks of paragraphs, list items and fenced code, with heading paths and slugs', () => {
      const doc = byId(documents, 'guides/setup');
      expect(doc.blocks.map((b) => [b.kind, slice(doc, b), b.headingPath, b.anchor])).toEqual([
        [
          'text',
          // Hard-wrapped in the file; one line as rendered.
          'Install the tools first. Then run the checks, e.g. the linter and the tests, before you open a pull request.',
          [],
          undefined,
        ],
        ['text', 'Node 20 or later.', ['Requirements'], 'requirements'],
        ['text', 'About 2.5 GB of free disk space.', ['Requirements'], 'requirements'],
        ['text', 'A **Discord** bot token, see [the portal](https://discord.com/developers).', ['Requirements'], 'requirements'],
        ['code', 'npm ci\nnpm test', ['Requirements'], 'requirements'],
        ['text', 'If `npm ci` fails, delete the cache. Mr. Smith keeps a list of known issues.', ['Troubleshooting'], 'troubleshooting'],
        ['text', 'Repeated heading, for the slug counter.', ['Requirements'], 'requirements-1'],
      ]);
    });

    it('writes headings as plain lines and keeps list markers, dropping only block markup', () => {
      const { text } = byId(documents, 'guides/setup');
      expect(text.startsWith('Setup guide\n\nInstall the tools first.')).toBe(true);
      expect(text).toContain('\n- Node 20 or later.\n- About 2.5 GB');
      expect(text).toContain('\n\nTroubleshooting\n\nIf `npm ci` fails');
      expect(text).not.toMatch(/^#|```|^---/m);
    });
  });

  describe('plain text', () => {
    it('takes the first non-empty line as title and splits paragraphs at blank lines', () => {
      const doc = byId(documents, 'notes');
      expect(doc.title).toBe('Release notes');
      expect(slice(doc, doc.blocks[0]!)).toBe('Version 2 adds search.\nIt also fixes the U.S. date format.');
      expect(doc.keyPoints?.map((k) => slice(doc, k))).toEqual(['Search is faster.', 'Dates are right.']);
    });

    it('uses the file name as title when there is no better one', () => {
      expect(byId(documents, 'dup').title).toBe('dup');
    });
  });

  describe('html', () => {
    let doc: Document;
    beforeAll(() => {
      doc = byId(documents, 'guides/html/page');
    });

    it('hashes the raw bytes with the loader and HTML parser versions, so an HTML parser change re-embeds HTML only', async () => {
      const raw = await readFile(path.join(FIXTURES, 'mixed/guides/html/page.html'));
      expect(doc.hash).toBe(createHash('sha256').update(raw).update(LOADER_VERSION).update(HTML_PARSER_VERSION).digest('hex'));
    });

    it('reads title without site suffix, site name, meta date and canonical URL', () => {
      expect(doc).toMatchObject({
        title: 'widgets — Widget toolkit',
        source: 'Example 1.0 documentation',
        date: '2023-12-01',
        url: 'https://docs.example.com/widgets.html',
      });
    });

    it('keeps main content only, without chrome, permalink markers, tables of contents or footnote back-links', () => {
      for (const chrome of ['tracking', 'color: red', 'Home', 'Sidebar', 'Previous', '©', 'Related links', '¶', 'Sliders', '(1)']) {
        expect(doc.text).not.toContain(chrome);
      }
    });

    it('makes blocks with heading paths and anchors of sections, definitions and headings', () => {
      expect(doc.blocks.map((b) => [b.kind, slice(doc, b), b.headingPath.join(' > '), b.anchor])).toEqual([
        ['text', 'The widgets module builds small user interfaces.', '', 'module-widgets'],
        ['text', 'Name | Use', '', 'module-widgets'],
        ['text', 'Button | clicks', '', 'module-widgets'],
        ['text', 'Buttons react to clicks.', 'Buttons', 'buttons'],
        ['text', 'class widgets.Button(label)', 'Buttons', 'widgets.Button'],
        ['text', 'A clickable button.', 'Buttons', 'widgets.Button'],
        ['text', 'press()', 'Buttons', 'widgets.Button.press'],
        ['text', 'Simulate a click.', 'Buttons', 'widgets.Button.press'],
        ['code', 'button = Button("OK")\nif button.press():\n    print("pressed")', 'Buttons', 'buttons'],
        ['text', 'First tip.', 'Buttons', 'buttons'],
        ['text', 'Second tip\non two lines.', 'Buttons', 'buttons'],
        ['text', 'Labels are short[1].', 'Buttons', 'buttons'],
        ['text', '[1]', 'Buttons', 'buttons'],
        ['text', 'At most twenty characters.', 'Buttons', 'buttons'],
        ['text', 'After the sections.', 'A loose heading', 'loose-heading'],
      ]);
    });
  });
});

describe('html from other generators', () => {
  const blocksOf = (html: string) => {
    const parsed = parseHtml(html);
    return parsed.blocks.map((b) => [b.kind, parsed.text.slice(b.start, b.end), b.headingPath.join(' > '), b.anchor]);
  };

  it('Node.js: anchors from the permalink marker inside the heading, without the marker; each code flavour on its own lines', () => {
    const html = `<html><head><title>File system | Node.js v20.20.2 Documentation</title></head><body>
      <div role="navigation"><a href="fs.html">File system</a></div><div role="main" id="apicontent">
      <h2>File system<span><a class="mark" href="#file-system" id="file-system">#</a></span><a aria-hidden="true" class="legacy" id="fs_file_system"></a></h2>
      <p>The <code>node:fs</code> module enables interacting with the file system.</p>
      <pre class="with-30-chars"><input class="js-flavor-toggle" type="checkbox" checked aria-label="Show modern ES modules syntax"><code class="language-js mjs">import * as fs from 'node:fs';</code><code class="language-js cjs">const fs = require('node:fs');</code></pre>
      <h3>fs.access(path)<span><a class="mark" href="#fsaccesspath" id="fsaccesspath">#</a></span></h3>
      <p>Tests a user's permissions for the file.</p>
    </div></body></html>`;
    expect(blocksOf(html)).toEqual([
      // The h2 is the page's title (the h1 is the site's name): no heading path, the page's top.
      ['text', 'The node:fs module enables interacting with the file system.', '', undefined],
      ['code', "import * as fs from 'node:fs';\n\nconst fs = require('node:fs');", '', undefined],
      ['text', "Tests a user's permissions for the file.", 'fs.access(path)', 'fsaccesspath'],
    ]);
  });

  it('DocBook: no navigation bars or table of contents; anchors from <a name> in the heading', () => {
    const html = `<html><head><title>2. Using the core</title></head><body>
      <div><table class="nav" summary="Navigation header"><tr><td><a href="intro.html">Prev</a></td><th>User Manual</th><td><a href="adv.html">Next</a></td></tr></table></div>
      <div class="chapter"><div class="titlepage"><div><div><h1 class="title"><a name="manual-core"></a>2. Using the core</h1></div></div></div>
      <div class="toc"><p><b>Table of Contents</b></p><dl class="toc"><dt><span class="sect1"><a href="#manual-core.whatdoes">2.1. What it does</a></span></dt></dl></div>
      <p>This chapter describes the core services.</p>
      <div class="sect1"><div class="titlepage"><div><div><h2 class="title"><a name="manual-core.whatdoes"></a>2.1. What it does</h2></div></div></div>
      <p>It works directly with existing executables.</p></div></div>
      <div class="navfooter"><table class="nav"><tr><td><a href="adv.html">Next</a></td></tr></table></div>
    </body></html>`;
    expect(blocksOf(html)).toEqual([
      // The h1 is the page's title: it starts no heading path, and its anchor is the top of the page.
      ['text', 'This chapter describes the core services.', '', undefined],
      ['text', 'It works directly with existing executables.', '2.1. What it does', 'manual-core.whatdoes'],
    ]);
  });

  it("mdBook: the title's suffix is the site's name when the menu bar shows it; a heading differing from the title in case is the title", () => {
    const html = `<html><head><title>What is Ownership? - The Rust Programming Language</title></head><body>
      <div id="mdbook-menu-bar"><h1 class="menu-title">The Rust Programming Language</h1></div>
      <nav id="mdbook-sidebar" aria-label="Table of contents"><a href="ch04-01.html">What is Ownership?</a></nav>
      <main><h2 id="what-is-ownership"><a class="header" href="#what-is-ownership">What Is Ownership?</a></h2>
      <p>Ownership is a set of rules that govern how a Rust program manages memory.</p></main></body></html>`;
    const parsed = parseHtml(html);
    expect([parsed.title, parsed.site?.source]).toEqual(['What is Ownership?', 'The Rust Programming Language']);
    expect(blocksOf(html)).toEqual([['text', 'Ownership is a set of rules that govern how a Rust program manages memory.', '', undefined]]);
    // MkDocs Material: the site's name is one element inside the header's title.
    const material = parseHtml(`<html><head><title>Setup - Team Handbook</title></head><body><header class="md-header"><div class="md-header__title">
      <div class="md-header__topic"><span class="md-ellipsis">Team Handbook</span></div><div class="md-header__topic"><span class="md-ellipsis">Setup</span></div>
      </div></header><main><article><h1 id="setup">Setup</h1><p>Install the tools.</p></article></main></body></html>`);
    expect([material.title, material.site?.source]).toEqual(['Setup', 'Team Handbook']);
    // A suffix shown nowhere else on the page is part of the title.
    const plain = parseHtml('<html><head><title>Install - Setup</title></head><body><main><p>Run it.</p></main></body></html>');
    expect([plain.title, plain.site?.source]).toEqual(['Install - Setup', undefined]);
  });

  it('rustdoc: no "Source" links, version stamps, "Expand description" toggles or blanket implementations', () => {
    const html = `<html><body><main><section id="main-content" class="content"><div class="main-heading"><h1>Struct <span class="struct">HashMap</span></h1>
      <span class="sub-heading"><span class="since" title="Stable since Rust version 1.0.0">1.0.0</span> · <a class="src" href="../src/map.rs.html#1">Source</a></span></div>
      <details class="toggle top-doc" open><summary class="hideme"><span>Expand description</span></summary><div class="docblock"><p>A hash map implemented with quadratic probing.</p></div></details>
      <details class="toggle implementors-toggle" open><summary><section id="impl-Debug-for-HashMap" class="impl"><a class="src rightside" href="../src/map.rs.html#9">Source</a><a href="#impl-Debug-for-HashMap" class="anchor">§</a><h3 class="code-header">impl Debug for HashMap</h3></section></summary></details>
      <h2 id="synthetic-implementations" class="section-header">Auto Trait Implementations</h2><div id="synthetic-implementations-list"><section id="impl-Send-for-HashMap" class="impl"><h3 class="code-header">impl Send for HashMap</h3></section></div>
      <h2 id="blanket-implementations" class="section-header">Blanket Implementations</h2><div id="blanket-implementations-list"><details class="toggle implementors-toggle"><summary><section id="impl-Borrow-for-T" class="impl"><h3 class="code-header">impl&lt;T&gt; Borrow&lt;T&gt; for T</h3></section></summary>
      <div class="impl-items"><details class="toggle method-toggle" open><summary><section id="method.borrow" class="method trait-impl"><h4 class="code-header">fn borrow(&amp;self) -&gt; &amp;T</h4></section></summary>
      <div class="docblock"><p>Immutably borrows from an owned value. <a href="../borrow/trait.Borrow.html#tymethod.borrow">Read more</a></p></div></details></div></details></div>
    </section></main></body></html>`;
    const text = parseHtml(html).text;
    expect(text).not.toMatch(/Source|Expand description|§/);
    // Blanket implementations are the same on every type page; auto traits say something of this one.
    expect(text).not.toMatch(/Immutably borrows|impl<T> Borrow/);
    expect(text).toContain('impl Send for HashMap');
    expect(blocksOf(html).map((b) => b[1])).toContain('A hash map implemented with quadratic probing.');
    // Org mode's code blocks are pre.src: content.
    expect(blocksOf('<html><body><main><pre class="src src-python">print("kept")</pre></main></body></html>')).toEqual([['code', 'print("kept")', '', undefined]]);
  });

  it('leaves out excerpts that end in a "Read more" link to another page (rustdoc trait implementations, blog indexes)', () => {
    const html = `<html><body><main><h1>Struct Vec</h1><h2 id="trait-implementations">Trait Implementations</h2>
      <details class="toggle implementors-toggle"><summary><section id="impl-Clone-for-Vec" class="impl"><h3 class="code-header">impl Clone for Vec</h3></section></summary>
      <div class="impl-items"><details class="toggle method-toggle" open><summary><section id="method.clone_from" class="method trait-impl"><h4 class="code-header">fn clone_from(&amp;mut self, source: &amp;Self)</h4></section></summary>
      <div class="docblock"><p>Overwrites the contents of self with a clone of the contents of source.</p></div></details>
      <details class="toggle method-toggle" open><summary><section id="method.clone" class="method trait-impl"><h4 class="code-header">fn clone(&amp;self) -&gt; Self</h4></section></summary>
      <div class='docblock'>Returns a duplicate of the value. <a href="../clone/trait.Clone.html#tymethod.clone">Read more</a></div></details></div></details>
      <p>Our launch post explains the plan. <a class="more-link" href="/blog/launch/">Continue reading →</a></p>
      <p>The options are listed <a href="#options">below</a>.</p><p>See the guide. <a href="#guide">Read more</a></p>
      <p><a href="/blog/launch/">Read more</a> about the launch, in the post itself.</p></main></body></html>`;
    const texts = blocksOf(html).map((b) => b[1]);
    expect(texts.join('\n')).not.toMatch(/Returns a duplicate|Our launch post/);
    // Documentation of this impl's own, a link within the page, and text after the link all stay.
    expect(texts).toContain('Overwrites the contents of self with a clone of the contents of source.');
    expect(texts).toContain('The options are listed below.');
    expect(texts).toContain('See the guide. Read more');
    expect(texts).toContain('Read more about the launch, in the post itself.');
  });

  it("rustdoc: a method's documentation is headed and anchored by its signature, which its own section holds alone", () => {
    // The <section> closes after the signature heading; the docs follow in a sibling docblock.
    const method = (name: string, doc: string) => `<details class="toggle method-toggle" open><summary><section id="method.${name}" class="method">
      <span class="rightside"><span class="since">1.0.0</span> · <a class="src" href="../src/vec.rs.html#1">Source</a></span>
      <h4 class="code-header">pub fn <a href="#method.${name}" class="fn">${name}</a>(&amp;mut self)</h4></section></summary>
      <div class="docblock"><p>${doc}</p><h5 id="examples-${name}"><a class="doc-anchor" href="#examples-${name}">§</a>Examples</h5>
      <div class="example-wrap"><pre class="rust"><code>v.${name}();</code></pre></div></div></details>`;
    const html = `<html><head><meta name="generator" content="rustdoc"><title>Vec in std::vec - Rust</title></head><body><main><section id="main-content" class="content">
      <div class="main-heading"><h1>Struct <span class="struct">Vec</span></h1></div>
      <h2 id="implementations" class="section-header">Implementations</h2>
      <div id="implementations-list"><details class="toggle implementors-toggle" open><summary><section id="impl-Vec" class="impl"><h3 class="code-header">impl Vec</h3></section></summary>
      <div class="impl-items">${method('clear', 'Clears the vector.')}${method('dedup', 'Removes consecutive repeated elements.')}</div></details></div>
    </section></main></body></html>`;
    expect(blocksOf(html)).toEqual([
      ['text', 'Clears the vector.', 'Struct Vec > Implementations > impl Vec > pub fn clear(&mut self)', 'method.clear'],
      ['code', 'v.clear();', 'Struct Vec > Implementations > impl Vec > pub fn clear(&mut self) > Examples', 'examples-clear'],
      ['text', 'Removes consecutive repeated elements.', 'Struct Vec > Implementations > impl Vec > pub fn dedup(&mut self)', 'method.dedup'],
      ['code', 'v.dedup();', 'Struct Vec > Implementations > impl Vec > pub fn dedup(&mut self) > Examples', 'examples-dedup'],
    ]);
    // rustdoc ends every title with " - Rust"; another generator's "- Rust" is the page's own.
    expect(parseHtml(html).title).toBe('Vec in std::vec');
    expect(parseHtml(html.replace('content="rustdoc"', 'content="Hugo 0.120"')).title).toBe('Vec in std::vec - Rust');
  });

  it('DocBook: the author on the title page is not a heading; chapter footnotes are under no section', () => {
    const titlePage = `<html><head><title>Debian Reference</title><meta name="generator" content="DocBook XSL Stylesheets V1.79.2"/></head><body>
      <div class="book"><div class="titlepage"><div><h1 class="title"><a id="idm1"></a>Debian Reference</h1></div>
      <div><div class="author"><h3 class="author"><span class="othername">Osamu Aoki</span></h3></div></div>
      <div><p class="copyright">Copyright © 2013-2021 Osamu Aoki</p></div></div>
      <p>List of Tables</p></div></body></html>`;
    expect(blocksOf(titlePage).map(([, text, path]) => [text, path])).toEqual([
      ['Osamu Aoki', ''],
      ['Copyright © 2013-2021 Osamu Aoki', ''],
      ['List of Tables', ''],
    ]);
    const chapter = `<html><head><title>Chapter 9. System tips</title><meta name="generator" content="DocBook XSL Stylesheets V1.79.2"/></head><body>
      <div class="chapter"><h1 class="title">Chapter 9. System tips</h1>
      <div class="section"><h2 class="title"><a id="_vim"></a>9.2. Vim</h2><p>Use Vim.<a href="#ftn.idm2"><sup>[2]</sup></a></p>
      <div class="section"><h3 class="title"><a id="_desktops"></a>9.11.5. Multiple desktop systems</h3><p>Run several.</p></div></div>
      <div class="footnotes"><br/><hr/><div id="ftn.idm2" class="footnote"><p><a href="#idm2" class="para"><sup class="para">[2] </sup></a>More elaborate customization examples.</p></div></div>
      <p>After the notes.</p></div></body></html>`;
    expect(blocksOf(chapter).map(([, text, path]) => [text, path])).toEqual([
      ['Use Vim.[2]', '9.2. Vim'],
      ['Run several.', '9.2. Vim > 9.11.5. Multiple desktop systems'],
      ['[2] More elaborate customization examples.', ''],
      ['After the notes.', '9.2. Vim > 9.11.5. Multiple desktop systems'],
    ]);
  });

  it('Docusaurus and GitHub: a self-link of symbols or zero-width space is a marker, a titled one is the heading', () => {
    const html = `<html><body><main>
      <h2 class="anchor" id="install">Install<a href="#install" class="hash-link" aria-label="Direct link to Install">\u200b</a></h2>
      <p>Run the installer.</p>
      <h2><a id="user-content-usage" class="anchor" href="#usage"></a>Usage</h2>
      <p>Call it <a href="#install">after installing</a>.</p>
    </main></body></html>`;
    expect(blocksOf(html)).toEqual([
      ['text', 'Run the installer.', 'Install', 'install'],
      ['text', 'Call it after installing.', 'Usage', 'user-content-usage'],
    ]);
  });
});

describe('html tables', () => {
  it('keeps the paragraphs and list items of a cell words apart', () => {
    const parsed = parseHtml('<html><body><main><table><tr><td><p>Blocking.</p><p>Since 3.2.</p></td><td><ul><li>Home</li><li>News</li></ul></td></tr></table></main></body></html>');
    expect(parsed.text).toBe('Blocking. Since 3.2. | Home News');
  });
});

describe('documents that repeat others', () => {
  let dir: string;
  let documents: Document[];
  let issues: LoadIssue[];
  const pages = [1, 2, 3, 4].map((n) => `Chapter ${n} explains its own subject at enough length to count as a repeated block.`);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'archivist-repeats-'));
    for (const [i, text] of pages.entries()) await writeFile(path.join(dir, `ch${i + 1}.md`), `# Chapter ${i + 1}\n\n${text}\n`);
    await writeFile(path.join(dir, 'print.html'), `<html><body><main>${pages.map((t) => `<p>${t}</p>`).join('')}</main></body></html>`);
    // Two stubs for moved pages: one page under two names.
    const moved = 'This page has moved to the second edition of the book; follow the link to read it there.';
    await writeFile(path.join(dir, 'moved-a.md'), `# Ownership\n\n${moved}\n`);
    await writeFile(path.join(dir, 'moved-b.md'), `# Lifetimes\n\n${moved}\n`);
    // A notice that three pages repeat: it is not an edition, and they are not its copies.
    const notice = 'This notice is repeated on every page of the section, word for word.';
    await writeFile(path.join(dir, 'notice.md'), `${notice}\n`);
    for (const n of [1, 2, 3]) await writeFile(path.join(dir, `uses-notice-${n}.md`), `${notice}\n\nPage ${n} goes on with its own text, long enough to count.\n`);
    // Reference pages as rustdoc writes them: a sentence of their own among shared trait listings.
    const listing = (n: number) => `Listing ${n} of the blanket trait implementations that every type in the reference repeats.`;
    const ownLine = (name: string) => `The ${name} type has a description that no other page of the reference has.`;
    const reference = (name: string, listings: number[]) => [ownLine(name), ...listings.map(listing)].join('\n\n');
    await mkdir(path.join(dir, 'ref'));
    // Two pages that differ in one sentence are two pages, not copies.
    await writeFile(path.join(dir, 'ref/escape-debug.md'), reference('EscapeDebug', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    await writeFile(path.join(dir, 'ref/escape-default.md'), reference('EscapeDefault', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    // A big page whose listings the small pages share is no edition of them: listings are boilerplate.
    await writeFile(path.join(dir, 'ref/range.md'), reference('Range', [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]));
    for (let i = 0; i < 10; i++) await writeFile(path.join(dir, `ref/step-${i}.md`), reference(`Step${i}`, [0, 1, 2, 3].map((k) => 11 + ((i + k) % 10))));
    ({ documents, issues } = await loadCorpus(dir));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves out single-page editions and later copies of a page, with a warning each, and keeps the pages', () => {
    expect(issues).toEqual([
      { path: 'print.html', level: 'warning', message: 'skipped: a single-page edition of 4 other documents, which are indexed instead' },
      {
        path: 'moved-b.md',
        level: 'warning',
        message: 'skipped: a copy of moved-a.md, which is indexed instead',
        group: 'skipped: a copy of another document, which is indexed instead',
      },
    ]);
    const references = ['ref/escape-debug', 'ref/escape-default', 'ref/range', ...Array.from({ length: 10 }, (_, i) => `ref/step-${i}`)];
    expect(documents.map((d) => d.id)).toEqual(['ch1', 'ch2', 'ch3', 'ch4', 'moved-a', 'notice', ...references, 'uses-notice-1', 'uses-notice-2', 'uses-notice-3']);
  });
});

describe('issue lines', () => {
  it('logs a message shared by more than three files as one line, and the others file by file, in order', () => {
    const skipped = (p: string): LoadIssue => ({ path: p, level: 'warning', message: 'skipped: unsupported file type ".png"' });
    const lines = issueLines([skipped('a.png'), { path: 'b.md', level: 'error', message: 'not loaded: bad front matter' }, skipped('c.png'), skipped('d.png'), skipped('e.png'), skipped('f.png')]);
    expect(lines).toEqual([
      'warning: 5 files: skipped: unsupported file type ".png" (a.png, c.png, d.png and 2 more)',
      'error: b.md: not loaded: bad front matter',
    ]);
    expect(issueLines([skipped('a.png'), skipped('c.png')])).toEqual(['warning: a.png: skipped: unsupported file type ".png"', 'warning: c.png: skipped: unsupported file type ".png"']);
    // Messages that name more than the file group by what they have in common.
    const twin = (name: string): LoadIssue => ({ path: `${name}.md`, level: 'warning', message: `skipped: its id "${name}" is already used by ${name}.html`, group: 'skipped: same name' });
    expect(issueLines(['fs', 'os', 'url', 'vm'].map(twin))).toEqual(['warning: 4 files: skipped: same name (fs.md, os.md, url.md and 1 more)']);
    expect(issueLines(['fs'].map(twin))).toEqual(['warning: fs.md: skipped: its id "fs" is already used by fs.html']);
  });
});

describe('decoding', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  it('reads HTML in the charset it declares, by meta tag or XML declaration, as a browser does', () => {
    const meta = latin1('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body><p>Caf\u00e9 cr\u00e8me</p></body></html>');
    expect(decodeDocument(meta, 'html')).toContain('<p>Café crème</p>');
    const xhtml = latin1('<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<html><body><p>Gr\u00fc\u00dfe</p></body></html>');
    expect(decodeDocument(xhtml, 'html')).toBe('<?xml version="1.0" encoding="ISO-8859-1"?>\n<html><body><p>Grüße</p></body></html>');
  });

  it('reads UTF-16 with a byte order mark, and drops a UTF-8 one', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Notes\r\nSaved by Notepad.', 'utf16le')]);
    expect(decodeDocument(utf16, 'plain')).toBe('Notes\nSaved by Notepad.');
    expect(decodeDocument(Buffer.from('\ufeffTitle', 'utf8'), 'plain')).toBe('Title');
  });

  it("reads HTML that declares nothing and is not UTF-8 as windows-1252, a browser's default", () => {
    expect(decodeDocument(latin1('<p>Fix typos (Jan Pokorn\u00fd), \u0093quoted\u0094</p>'), 'html')).toBe('<p>Fix typos (Jan Pokorný), “quoted”</p>');
    expect(decodeDocument(Buffer.from('<p>Pokorný</p>', 'utf8'), 'html')).toBe('<p>Pokorný</p>');
  });

  it('guesses nothing else: undeclared text must be UTF-8, declared HTML must be what it says, and an unknown charset is named', () => {
    expect(() => decodeDocument(latin1('Caf\u00e9'), 'plain')).toThrow('the file is not valid UTF-8');
    expect(() => decodeDocument(latin1('<meta charset="utf-8"><p>Caf\u00e9</p>'), 'html')).toThrow('the file is not valid UTF-8');
    expect(() => decodeDocument(latin1('<meta charset="x-klingon"><p>Qapla</p>'), 'html')).toThrow('the file declares the charset "x-klingon", which is not supported');
  });
});

describe('markdown line breaks', () => {
  const blocks = (md: string) => {
    const parsed = parseMarkdown(md);
    return parsed.blocks.map((b) => parsed.text.slice(b.start, b.end));
  };

  it('joins the lines of a paragraph or list item as Markdown renders them, keeping hard breaks', () => {
    expect(blocks('The module enables interacting with the file system in a\n   way modeled on POSIX.\n')).toEqual(['The module enables interacting with the file system in a way modeled on POSIX.']);
    expect(blocks('Roses are red,  \nviolets are blue.\\\nSugar is sweet.\n')).toEqual(['Roses are red,\nviolets are blue.\nSugar is sweet.']);
    expect(blocks('1.  Open the console and\n    pick the build.\n- Then wait\n  a minute.\n')).toEqual(['Open the console and pick the build.', 'Then wait a minute.']);
  });

  it('keeps the lines of tables and indented code, which it does not parse', () => {
    expect(blocks('| Name | Use |\n|---|---|\n| fs | files |\n')).toEqual(['| Name | Use |\n|---|---|\n| fs | files |']);
    expect(blocks('Example:\n\n    const a = 1;\n    const b = 2;\n')).toEqual(['Example:', 'const a = 1;\n    const b = 2;']);
  });

  it('keeps the lines of plain text', () => {
    expect(parseText('Notes\n\nLine one\nline two\n').text).toContain('Line one\nline two');
  });
});

describe('markdown comments', () => {
  it('leaves out HTML comments on lines of their own, however many lines they span', () => {
    const parsed = parseMarkdown(
      '# File system\n\n<!--introduced_in=v0.10.0-->\n\nThe fs module reads files.\n<!-- YAML\nadded: v0.1.29\nchanges:\n  - version: v7.0.0\n    description: Deprecated.\n-->\n\n- A list item <!-- kept: not on a line of its own -->\n',
    );
    expect(parsed.blocks.map((b) => parsed.text.slice(b.start, b.end))).toEqual(['The fs module reads files.', 'A list item <!-- kept: not on a line of its own -->']);
    expect(parsed.text).not.toContain('version: v7.0.0');
    // The blank lines around a left-out comment are one paragraph break, as are runs of blank lines.
    expect(parsed.text).not.toContain('\n\n\n');
    expect(parseMarkdown('One.\n\n\n\nTwo.\n').text).toBe('One.\n\nTwo.');
  });
});

describe('key points', () => {
  it('follows a "Key takeaways" heading too, and stops at the first block that is not a list item', () => {
    const parsed = parseMarkdown('Intro.\n\n## Key takeaways\n- First point.\n- Second point.\n\nNot a point.\n\n- Nor this.\n');
    const points = parsed.keyPoints.map((k) => parsed.text.slice(k.start, k.end));
    expect(points).toEqual(['First point.', 'Second point.']);
  });
});

describe('isoDate', () => {
  it('normalises YAML dates, ISO strings and written-out dates', () => {
    expect(isoDate(new Date(Date.UTC(2024, 9, 30)))).toBe('2024-10-30');
    expect(isoDate('2024-11-01')).toBe('2024-11-01');
    expect(isoDate('2024-11-01T23:30:00+09:00')).toBe('2024-11-01');
    expect(isoDate('October 30, 2024')).toBe('2024-10-30');
    expect(isoDate('1 November 2024')).toBe('2024-11-01');
  });

  it('rejects what is not a date', () => {
    for (const value of ['2024-02-30', 'soon', '', 2024, null, undefined, new Date(Number.NaN)]) expect(isoDate(value)).toBeUndefined();
  });
});
