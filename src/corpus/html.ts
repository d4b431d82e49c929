import { load } from 'cheerio/slim';
import type { AnyNode, Document as DomDocument, Element } from 'domhandler';
import type { Generator } from '../types.js';
import { TextBuilder, type Parsed } from './builder.js';
import { isoDate } from './meta.js';

// cheerio/slim parses with htmlparser2, about four times faster than parse5 on the Python docs.

/** Where the main content is, best first: `[role=main]`, `main`, `article`, `div.body`, `div.document`, `body`. */
const MAIN_CANDIDATES: Array<(el: Element) => boolean> = [
  (el) => el.attribs.role === 'main',
  (el) => el.name === 'main',
  (el) => el.name === 'article',
  (el) => el.name === 'div' && hasClass(el, 'body'),
  (el) => el.name === 'div' && hasClass(el, 'document'),
  (el) => el.name === 'body',
];
const SKIP_TAGS = new Set([
  'script', 'style', 'nav', 'header', 'footer', 'aside', 'noscript', 'template', 'form', 'button',
  'svg', 'iframe', 'select', 'textarea', 'head',
]);
/**
 * Navigation inside the page: Sphinx's `toctree-wrapper` (a list of other pages' titles), footnote
 * back-links, DocBook's table of contents and Prev/Up/Next bars (`div.toc`, `table.nav`), and
 * rustdoc's breadcrumbs, "Source" links and "Expand description" toggles.
 */
const SKIP_CLASSES = new Set([
  'sphinxsidebar', 'related', 'headerlink', 'breadcrumb', 'breadcrumbs', 'wy-breadcrumbs', 'toctree-wrapper', 'backrefs',
  'toc', 'nav', 'navheader', 'navfooter', 'rustdoc-breadcrumbs', 'rightside', 'hideme',
]);
/**
 * Classes that are chrome on one element only: rustdoc's version stamp (`span.since`) and source
 * link (`a.src`). Org mode exports its code blocks as `pre.src`, which stay.
 */
const SKIP_TAG_CLASSES = new Set(['span.since', 'a.src']);
/**
 * rustdoc's "Blanket Implementations": the same generic impls (Borrow, From<T>, Into, TryFrom, Any…)
 * on every type page, each with its trait's one-line summary. Auto traits (Send, Sync) say something
 * about the type and stay.
 */
const SKIP_IDS = new Set(['blanket-implementations-list']);
/**
 * The text of a permalink marker: nothing, or a symbol or two ("#", "¶", "§", "🔗"; zero-width
 * spaces in Docusaurus). Any generator's `<a href="#id">#</a>` is chrome, whatever its class.
 */
const MARKER_TEXT = /^[^\p{L}\p{N}]{0,3}$/u;
// Not role="doc-backlink": docutils also gives it to section titles linking back to a local table
// of contents, and to a footnote label that has a single reference.
const SKIP_ROLES = new Set(['navigation', 'search', 'banner', 'contentinfo', 'complementary']);
/** Docutils renders footnotes, topics and sidebars as `<aside>`: content, unlike the site's asides. */
const CONTENT_ASIDES = new Set(['footnote', 'footnote-list', 'topic', 'sidebar']);
// DocBook, Pandoc and rustdoc gather footnotes in a `div.footnotes` / `section.footnotes` after the
// last section of what they annotate: they belong to the whole, not to that section. DocBook's title page names
// the author in an `h3.author`: a line of the page, not a section's heading.
/** Elements that start and end a paragraph of their own; any other tag is inline. */
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody',
  'tfoot', 'caption', 'figure', 'figcaption', 'hr', 'details', 'summary', 'address', 'fieldset', 'center',
]);
/** " — Python 3.11.2 documentation": a site name after a dash or bar at the end of `<title>`. */
const TITLE_SUFFIX = /^(.*\S)\s+[—–|·-]\s+([^—–|·]*\b(?:documentation|docs|manual|handbook|guide|wiki)\b[^—–|·]*)$/i;
const RUSTDOC_SUFFIX = ' - Rust';
/** `<meta name="generator">` of the generators that write one: "rustdoc", "DocBook XSL Stylesheets V1.79.2", "Sphinx 4.5.0". */
const GENERATOR_META: Array<[RegExp, Generator]> = [
  [/^rustdoc\b/i, 'rustdoc'],
  [/^DocBook\b/i, 'docbook'],
  [/^mdBook\b/i, 'mdbook'],
  [/^Sphinx\b/i, 'sphinx'],
];
/** The scripts every Sphinx page loads: Sphinx with docutils 0.18 or later names docutils as the generator. */
const SPHINX_SCRIPT = /(?:^|\/)_static\/(?:documentation_options|doctools)\.js(?:\?.*)?$/;
/** The comment mdBook opens `<head>` with. */
const MDBOOK_COMMENT = /Book generated using mdBook/i;
/** Any title's last part after a dash or bar: the site's name when the page shows it elsewhere too. */
const TITLE_PARTS = /^(.*\S)\s+[—–|·-]\s+([^—–|·]+)$/;
const HTML_SPACE = /[ \t\n\r\f]+/g;
/** Stands in for `<br>` while HTML whitespace is collapsed. */
const BR = '\u0000';

interface Scope {
  /** Id of the innermost enclosing `section[id]` or definition. */
  anchor?: string;
  depth: number;
  listItem: boolean;
}

/**
 * HTML documents, main content only. Blocks: paragraphs, list items, table rows (cells joined by
 * " | "), `<pre>` as code, and definition lists (Sphinx API entries) as the `dt` signature followed
 * by the `dd` paragraphs, all anchored at the `dt` id.
 */
export function parseHtml(content: string): Parsed {
  const root = load(content).root()[0]!;
  const page = scan(root);
  const site = siteTitle(page.title, () => namesOutside(root, page.main), page.meta.get('generator'));
  const b = new TextBuilder(site.title);
  const generator = generatorOf(page);
  let inline = '';

  const anchorFor = (scope: Scope): string | undefined => {
    const h = b.innermostHeading;
    return h?.anchor !== undefined && h.scope >= scope.depth ? h.anchor : scope.anchor;
  };
  const flush = (scope: Scope): void => {
    const text = collapse(inline);
    inline = '';
    // A dot left between dropped links (rustdoc's "1.0.0 · Source") is decoration. Other symbols
    // alone are content: the regular expression docs define "|" and "(?=...)".
    if (/^[·•\s]*$/.test(text)) return;
    b.separate();
    b.block(text, { anchor: anchorFor(scope), listItem: scope.listItem });
  };
  const children = (el: Element, scope: Scope): void => {
    for (const child of el.children) walk(child, scope);
  };
  const walk = (node: AnyNode, scope: Scope): void => {
    if (node.type === 'text') {
      inline += node.data.replaceAll(BR, '');
      return;
    }
    if (!isElement(node) || skipped(node)) return;
    const tag = node.name;
    if (tag === 'br') inline += BR;
    else if (/^h[1-6]$/.test(tag) && !hasClass(node, 'author')) {
      flush(scope);
      b.separate();
      b.heading(Number(tag[1]), inlineText(node), { anchor: headingAnchor(node), scope: scope.depth });
    } else if (tag === 'pre') {
      flush(scope);
      b.separate();
      b.block(codeText(node), { kind: 'code', anchor: anchorFor(scope) });
    } else if (tag === 'tr') {
      flush(scope);
      const cells = node.children.filter(isElement).map(inlineText).filter((t) => t !== '');
      inline = cells.join(' | ');
      flush(scope);
    } else if (tag === 'dl') {
      flush(scope);
      definitions(node, scope);
    } else if (BLOCK_TAGS.has(tag)) {
      flush(scope);
      const id = node.attribs.id;
      const opensScope = id !== undefined && (tag === 'section' || hasClass(node, 'section'));
      const inner: Scope = {
        anchor: opensScope ? id : scope.anchor,
        depth: opensScope ? scope.depth + 1 : scope.depth,
        listItem: tag === 'li' || scope.listItem,
      };
      const write = () => {
        children(node, inner);
        flush(inner);
      };
      if (hasClass(node, 'footnotes')) b.outsideSections(write);
      else write();
      if (opensScope) b.closeScope(inner.depth, inner.anchor);
    } else children(node, scope);
  };
  /** Consecutive `dt`s (overloads) share the first one's id; their `dd` is anchored there too. */
  const definitions = (dl: Element, scope: Scope): void => {
    let entry: Scope = scope;
    let afterDt = false;
    for (const child of dl.children) {
      if (isElement(child) && (child.name === 'dt' || child.name === 'dd') && !skipped(child)) {
        if (child.name === 'dt' && !afterDt) entry = { ...scope, anchor: undefined, depth: scope.depth + 1 };
        if (child.name === 'dt') entry.anchor ??= child.attribs.id;
        afterDt = child.name === 'dt';
        const inner = { ...entry, anchor: entry.anchor ?? scope.anchor };
        children(child, inner);
        flush(inner);
        if (inner.depth > scope.depth) b.closeScope(inner.depth);
      } else walk(child, scope);
    }
    flush(scope);
  };

  if (page.main) children(page.main, { depth: 0, listItem: false });
  flush({ depth: 0, listItem: false });
  const meta = (key: string) => page.meta.get(key);
  const canonical = page.canonical ?? meta('og:url');
  const rawDate = meta('date') ?? meta('article:published_time') ?? meta('dcterms.date');
  const date = isoDate(rawDate);
  return {
    ...b.finish(),
    title: b.title,
    source: meta('source'),
    site: {
      source: meta('og:site_name') ?? site.name,
      // file:// canonicals (local Sphinx builds) point at this machine; Discord users cannot open them.
      url: canonical !== undefined && /^https?:\/\//i.test(canonical) ? canonical : undefined,
    },
    date,
    ...(generator !== undefined ? { generator } : {}),
    warnings: rawDate !== undefined && date === undefined ? [`meta date "${rawDate}" is not a date; ignored`] : [],
  };
}

interface Page {
  main?: Element;
  title: string;
  /** `<meta>` content by `name` or `property`, first occurrence wins. */
  meta: Map<string, string>;
  canonical?: string;
  /** Script sources and comments met by the scan (the head, at least): Sphinx and mdBook name themselves there. */
  marks: string[];
}

/** The generator that wrote the page, from its metadata: its format rules apply to the document (src/profiles). */
function generatorOf(page: Page): Generator | undefined {
  const meta = page.meta.get('generator');
  const named = meta === undefined ? undefined : GENERATOR_META.find(([pattern]) => pattern.test(meta))?.[1];
  if (named !== undefined) return named;
  if (page.meta.has('nodejs.org:node-version')) return 'nodejs';
  if (page.marks.some((mark) => SPHINX_SCRIPT.test(mark))) return 'sphinx';
  if (page.marks.some((mark) => MDBOOK_COMMENT.test(mark))) return 'mdbook';
  return undefined;
}

/** One pass over the page for what CSS selectors would find in several (they were 30% of load time). */
function scan(root: DomDocument): Page {
  const page: Page = { title: '', meta: new Map(), marks: [] };
  const found: Array<Element | undefined> = [];
  const stack: AnyNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'comment') page.marks.push(node.data);
    if (!isElement(node)) continue;
    for (let i = 0; i < MAIN_CANDIDATES.length; i++) {
      if (found[i] === undefined && MAIN_CANDIDATES[i]!(node)) found[i] = node;
    }
    // Nothing beats [role=main], and the metadata is in <head>, before it: the rest need not be seen.
    if (found[0] !== undefined) break;
    const { name, attribs } = node;
    if (name === 'title' && page.title === '') page.title = collapse(textContent(node));
    else if (name === 'meta') {
      const key = (attribs.name ?? attribs.property)?.toLowerCase();
      const value = attribs.content?.trim();
      if (key !== undefined && value && !page.meta.has(key)) page.meta.set(key, value);
    } else if (name === 'script' && attribs.src !== undefined) {
      page.marks.push(attribs.src);
    } else if (name === 'link' && attribs.rel?.split(/\s+/).includes('canonical') && page.canonical === undefined) {
      page.canonical = attribs.href;
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  page.main = found.find((el) => el !== undefined);
  return page;
}

/**
 * The page's own title and the site's name, from `<title>`: a suffix that says it is documentation,
 * or one the page shows outside its content, as mdBook's menu bar does for "What is Ownership? -
 * The Rust Programming Language".
 */
function siteTitle(raw: string, shownOutside: () => Set<string>, generator?: string): { title?: string; name?: string } {
  if (raw === '') return {};
  // rustdoc ends every page's title with the language, "Vec in std::vec - Rust": not a site's name.
  if (generator === 'rustdoc' && raw.endsWith(RUSTDOC_SUFFIX)) return { title: raw.slice(0, -RUSTDOC_SUFFIX.length) };
  const documentation = TITLE_SUFFIX.exec(raw);
  if (documentation) return { title: documentation[1], name: documentation[2] };
  const parts = TITLE_PARTS.exec(raw);
  if (parts && shownOutside().has(parts[2]!)) return { title: parts[1], name: parts[2] };
  return { title: raw };
}

/** Headings and title, logo or brand elements outside the main content: where a site shows its name. */
function namesOutside(root: AnyNode, main: Element | undefined): Set<string> {
  const names = new Set<string>();
  const stack: Array<{ node: AnyNode; inName: boolean }> = [{ node: root, inName: false }];
  while (stack.length > 0) {
    const { node, inName } = stack.pop()!;
    if (node === main || !('children' in node)) continue;
    const isName = isElement(node) && (/^h[1-6]$/.test(node.name) || /title|logo|brand/i.test(node.attribs.class ?? ''));
    // And every element inside one: a header's title holds the site's name and the page's title in
    // elements of their own (MkDocs Material).
    if (isElement(node) && (isName || inName)) names.add(inlineText(node));
    for (const child of node.children) stack.push({ node: child, inName: inName || isName });
  }
  return names;
}

/** The link that ends an excerpt: "Read more", "Continue reading →". */
const MORE_LINK = /^(?:read more|continue reading)\s*[.…→»›>]*$/i;

/**
 * A paragraph that ends in a "Read more" link to another page is an excerpt of that page, kept
 * there in full: rustdoc's trait implementations repeat the trait's summary on every type ("Performs
 * the `+` operation. Read more", 42% of the standard library's passages), and blog indexes their
 * posts' first lines. Quoting one would cite the copy and not the source.
 */
function isExcerpt(el: Element): boolean {
  if (!BLOCK_TAGS.has(el.name)) return false;
  for (let i = el.children.length - 1; i >= 0; i--) {
    const child = el.children[i]!;
    if (child.type === 'text' && child.data.trim() === '') continue;
    if (!isElement(child) || child.name !== 'a') return false;
    const href = child.attribs.href ?? '';
    return href !== '' && !href.startsWith('#') && MORE_LINK.test(rawText(child).trim());
  }
  return false;
}

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function hasClass(el: Element, name: string): boolean {
  return el.attribs.class?.split(/\s+/).includes(name) ?? false;
}

function skipped(el: Element): boolean {
  if (el.name === 'a' && el.attribs.href?.startsWith('#') && MARKER_TEXT.test(rawText(el).trim())) return true;
  if (isExcerpt(el)) return true;
  const role = el.attribs.role;
  if (role !== undefined && SKIP_ROLES.has(role)) return true;
  if (el.attribs.id !== undefined && SKIP_IDS.has(el.attribs.id)) return true;
  const classes = el.attribs.class?.split(/\s+/);
  if (SKIP_TAGS.has(el.name)) return !(el.name === 'aside' && classes?.some((c) => CONTENT_ASIDES.has(c)));
  return classes !== undefined && classes.some((c) => SKIP_CLASSES.has(c) || SKIP_TAG_CLASSES.has(`${el.name}.${c}`));
}

/**
 * A heading's section anchor: its own id, else the id or name of an element inside it. Node.js puts
 * the id on the permalink marker (`<h2>File system<a class="mark" id="file-system" …>#</a></h2>`),
 * DocBook on an empty `<a name="…">` before the title.
 */
function headingAnchor(heading: Element): string | undefined {
  if (heading.attribs.id) return heading.attribs.id;
  const stack: AnyNode[] = [...heading.children];
  while (stack.length > 0) {
    const node = stack.shift()!;
    if (!isElement(node)) continue;
    const id = node.attribs.id || (node.name === 'a' ? node.attribs.name : undefined);
    if (id) return id;
    stack.unshift(...node.children);
  }
  return undefined;
}

/**
 * A `<pre>` as code lines. Node.js puts the ES-module and CommonJS versions of an example in one
 * `<pre>` as two `<code>` elements (a toggle shows one); each starts on a line of its own.
 */
function codeText(pre: Element): string {
  const codes = pre.children.filter((child): child is Element => isElement(child) && child.name === 'code');
  const text = codes.length > 1 ? codes.map((code) => textContent(code).replace(/\n+$/, '')).join('\n\n') : textContent(pre);
  return text.replace(/\n+$/, '');
}

/** Every text node under an element, chrome included: what a marker shows. */
function rawText(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  return isElement(node) ? node.children.map(rawText).join('') : '';
}

/** Visible text of an element on one line: headings, signatures, table cells. */
function inlineText(el: Element): string {
  return collapse(textContent(el));
}

/** Raw text of an element, skipping the same chrome as the page walk (permalink markers and so on). */
function textContent(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (!isElement(node) || skipped(node)) return '';
  if (node.name === 'br') return '\n'; // Kept in code; collapsed to a space everywhere else.
  let out = '';
  for (const child of node.children) out += textContent(child);
  // Paragraphs or list items inside a table cell or heading are words apart, not glued together.
  return BLOCK_TAGS.has(node.name) ? ` ${out} ` : out;
}

/** HTML whitespace rules: runs of spaces and newlines are one space; `<br>` is a real line break. */
function collapse(raw: string): string {
  return raw
    .replace(HTML_SPACE, ' ')
    .replace(/ ?\u0000 ?/g, '\n')
    .replace(/^[ \n]+|[ \n]+$/g, '');
}
