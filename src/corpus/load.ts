import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSourceRules, sourceRuleFor, type DocsSource, type SourceRule } from '../sources/config.js';
import { documentUrl } from '../sources/url.js';
import type { Document, LoadIssue } from '../types.js';
import type { Parsed } from './builder.js';
import { decodeDocument } from './decode.js';
import { readDocx } from './docx.js';
import { listFiles } from './files.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { readPdf } from './pdf-reader.js';
import { findEditions } from './editions.js';
import { findRepeats } from './repeats.js';
import { parseText } from './text.js';

/**
 * Part of every document hash: bump it when loading changes for every format, since an unchanged
 * hash keeps a document's stored passages and vectors. (Splitting has its own version,
 * SPLITTER_VERSION.) A change to one parser bumps that parser's own version instead, so that the
 * other formats' documents are not embedded again.
 */
export const LOADER_VERSION = 'archivist-loader/2';

type Parser = (
  | {
      parse: (content: string) => Parsed;
      /** How its bytes are decoded: HTML may declare its charset (see decode.ts). */
      format: 'html' | 'plain';
    }
  | {
      /** A binary format (PDF, Word), read from the file's bytes. */
      read: (raw: Buffer) => Promise<Parsed>;
    }
) & {
  /** Added to the hash of the documents it parses; none for a parser unchanged since LOADER_VERSION. */
  version?: string;
};

/**
 * html/2: anchors from inside headings (Node.js, DocBook), any generator's permalink markers,
 * DocBook navigation. html/3: site names in titles (mdBook), title headings matched without case.
 * html/4: site names inside a header's title (MkDocs Material). html/5: blocks inside a table cell
 * are words apart. html/6: rustdoc's source links and toggles dropped. html/7: only on the elements
 * rustdoc puts them on. html/8: a heading alone in its section (rustdoc's method signatures) heads
 * what follows the section; rustdoc's blanket implementations dropped. html/9: excerpts ending in a
 * "Read more" link to another page dropped (rustdoc's trait implementations); rustdoc's " - Rust"
 * title suffix dropped. html/10: the page's generator recorded on the document (its format rules
 * apply to it). html/11: a heading of class "author" (DocBook's title page) is a line, not a
 * heading; `.footnotes` are under no section (what follows them keeps its headings).
 */
export const HTML_PARSER_VERSION = 'html/11';

/**
 * markdown/2: HTML comments on lines of their own are left out; runs of blank lines are one.
 * markdown/3: lines of a paragraph or list item are joined as rendered.
 */
export const MARKDOWN_PARSER_VERSION = 'markdown/3';

const MARKDOWN: Parser = { parse: parseMarkdown, format: 'plain', version: MARKDOWN_PARSER_VERSION };
/** text/2: runs of blank lines are one. */
const TEXT: Parser = { parse: parseText, format: 'plain', version: 'text/2' };
const HTML: Parser = { parse: parseHtml, format: 'html', version: HTML_PARSER_VERSION };
/** pdf/1: see pdf-layout.ts. */
const PDF: Parser = { read: async (raw) => (await readPdf(raw)).parsed, version: 'pdf/1' };
/** Word files become HTML (see docx.ts), so they change with the HTML parser too. */
const DOCX: Parser = { read: readDocx, version: `docx/1+${HTML_PARSER_VERSION}` };
const PARSERS: Record<string, Parser> = {
  '.md': MARKDOWN,
  '.markdown': MARKDOWN,
  '.txt': TEXT,
  '.html': HTML,
  '.htm': HTML,
  '.pdf': PDF,
  '.docx': DOCX,
};

/**
 * Loads every supported file under `dir` that is not ignored (see ignore.ts), in path order, with
 * source names and URLs from archivist.sources.json or `env` (see sources/config.ts). A file that
 * cannot be read or parsed becomes an `error` issue and the others still load; a file a user would
 * expect to be indexed but is not becomes a `warning` issue, as does a document that only repeats
 * others (a single-page edition, a copy: see repeats.ts; an export in another format: see
 * editions.ts), which is left out.
 */
export async function loadCorpus(
  dir: string,
  opts: {
    /** DOCS_SOURCE / DOCS_BASE_URL from the configuration (none when absent). */
    docsSource?: DocsSource;
    /** A document already loaded from the same bytes (same id and hash), to use instead of parsing again. */
    reuse?: (id: string, hash: string) => Document | undefined;
  } = {},
): Promise<{ documents: Document[]; issues: LoadIssue[] }> {
  const issues: LoadIssue[] = [];
  const report = (issue: LoadIssue): void => void issues.push(issue);
  const documents: Document[] = [];
  const idOwners = new Map<string, string>();
  const sources = await readSourceRules(dir, opts.docsSource ?? {}, report);

  for (const rel of await listFiles(dir, report)) {
    const ext = path.posix.extname(rel);
    const parser = PARSERS[ext.toLowerCase()];
    if (parser === undefined) {
      report({ path: rel, level: 'warning', message: `skipped: unsupported file type "${ext || '(no extension)'}"` });
      continue;
    }
    const id = rel.slice(0, rel.length - ext.length);
    const owner = idOwners.get(id);
    if (owner !== undefined) {
      // Citations are `${id}:${n}`: two documents with one id would make refs ambiguous.
      report({
        path: rel,
        level: 'warning',
        message: `skipped: its id "${id}" is already used by ${owner}`,
        group: 'skipped: a file of the same name with another extension is indexed',
      });
      continue;
    }
    const rule = sourceRuleFor(sources, rel);
    let raw: Buffer;
    let parsed: Parsed;
    try {
      raw = await readFile(path.join(dir, rel));
      const known = opts.reuse?.(id, documentHash(raw, rule, parser));
      if (known) {
        idOwners.set(id, rel);
        documents.push(known);
        continue;
      }
      parsed = 'read' in parser ? await parser.read(raw) : parser.parse(decodeDocument(raw, parser.format));
    } catch (err) {
      report({ path: rel, level: 'error', message: `not loaded: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    for (const message of parsed.warnings) report({ path: rel, level: 'warning', message });
    if (parsed.blocks.length === 0) {
      report({ path: rel, level: 'warning', message: 'skipped: no text to index' });
      continue;
    }
    idOwners.set(id, rel);
    documents.push(toDocument(id, rel, raw, parsed, rule, parser));
  }
  const paths = new Map(documents.map((doc) => [doc.id, doc.path]));
  const repeats = findRepeats(documents);
  for (const repeat of repeats) {
    const file = paths.get(repeat.id)!;
    if (repeat.kind === 'edition') {
      report({ path: file, level: 'warning', message: `skipped: a single-page edition of ${repeat.of.length} other documents, which are indexed instead` });
    } else {
      report({ path: file, level: 'warning', message: `skipped: a copy of ${paths.get(repeat.of[0])}, which is indexed instead`, group: 'skipped: a copy of another document, which is indexed instead' });
    }
  }
  const left = new Set(repeats.map((repeat) => repeat.id));
  for (const edition of findEditions(documents, left)) {
    const names = edition.of.map((id) => paths.get(id)!);
    const named = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
    report({ path: paths.get(edition.id)!, level: 'warning', message: `skipped: an edition of ${named}, which are indexed instead` });
    left.add(edition.id);
  }
  return { documents: documents.filter((d) => !left.has(d.id)), issues };
}

/** Decides re-embedding: the file's bytes, the loader and parser versions, and the source rule applied to it. */
function documentHash(raw: Buffer, rule: SourceRule | undefined, parser: Parser): string {
  const hash = createHash('sha256').update(raw).update(LOADER_VERSION);
  if (parser.version !== undefined) hash.update(parser.version);
  // The rule shapes the stored document too: a changed base URL must reach the index.
  if (rule !== undefined) hash.update(JSON.stringify(rule));
  return hash.digest('hex');
}

function toDocument(id: string, rel: string, raw: Buffer, parsed: Parsed, rule: SourceRule | undefined, parser: Parser): Document {
  const doc: Document = {
    id,
    path: rel,
    title: parsed.title ?? path.posix.basename(id),
    text: parsed.text,
    blocks: parsed.blocks,
    hash: documentHash(raw, rule, parser),
  };
  // Declared by the file, then configured for its folder, then guessed from the page's markup.
  const source = parsed.source ?? rule?.source ?? parsed.site?.source;
  const url = parsed.url ?? (rule && documentUrl(rule, rel)) ?? parsed.site?.url;
  if (source !== undefined) doc.source = source;
  if (parsed.date !== undefined) doc.date = parsed.date;
  if (url !== undefined) doc.url = url;
  if (parsed.keyPoints.length > 0) doc.keyPoints = parsed.keyPoints;
  if (parsed.generator !== undefined) doc.generator = parsed.generator;
  return doc;
}
