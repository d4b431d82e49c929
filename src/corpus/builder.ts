import type { Block, Generator } from '../types.js';

/** What a format parser hands to the loader; `load.ts` adds id, path and hash. */
export interface Parsed {
  title?: string;
  /** Source and URL the file declares for itself (front matter, `<meta name="source">`): they win over archivist.sources.json. */
  source?: string;
  date?: string;
  url?: string;
  /** Source and URL guessed from site markup (title suffix, og:site_name, canonical link): used only where no sources entry applies. */
  site?: { source?: string; url?: string };
  /** The documentation generator that wrote the file, where the HTML reader recognises it. */
  generator?: Generator;
  text: string;
  blocks: Block[];
  keyPoints: Array<{ start: number; end: number }>;
  /** Problems worth a warning that did not stop the file from loading. */
  warnings: string[];
}

interface Heading {
  level: number;
  title: string;
  anchor?: string;
  /** Nesting depth of the HTML scope (section, definition) the heading was met in; 0 elsewhere. */
  scope: number;
  /** Blocks recorded before the heading: none since means it still heads what comes next. */
  blocksBefore: number;
}

const KEY_TAKEAWAYS = /^key takeaways:?$/i;

/**
 * Accumulates a document's plain text and records blocks as offsets into it, so offsets are right
 * by construction. Headings are written into the text as their own line (readers of the source
 * view see the structure) but never become blocks: passages, and so quotes, hold body text only,
 * while each block carries its heading path for citations.
 */
export class TextBuilder {
  // Kept as parts and joined once: slicing a growing concatenated string per block is quadratic.
  private readonly parts: string[] = [];
  private length = 0;
  private tail = '';
  private pending: string[] | null = null;
  private pendingStart = 0;
  private readonly blocks: Block[] = [];
  private readonly keyPoints: Array<{ start: number; end: number }> = [];
  private readonly headings: Heading[] = [];
  private inKeyTakeaways = false;

  /** `title` may be left unset: the first level-1 heading then becomes the title. */
  constructor(public title?: string) {}

  get empty(): boolean {
    return this.length === 0;
  }

  /** Whether the text ends in a blank line (or is empty): one more would only add space. */
  get atBlankLine(): boolean {
    return this.length === 0 || this.tail === '\n\n';
  }

  append(raw: string): void {
    if (raw === '') return;
    this.parts.push(raw);
    this.pending?.push(raw);
    this.length += raw.length;
    this.tail = (this.tail + raw).slice(-2);
  }

  /** Starts a new paragraph-level piece on its own, blank-line separated, line. */
  separate(): void {
    if (this.length > 0 && this.tail !== '\n\n') this.append(this.tail.endsWith('\n') ? '\n' : '\n\n');
  }

  heading(level: number, title: string, opts: { anchor?: string; scope?: number } = {}): void {
    // rustdoc ends a signature's where-clause with a comma: "…where F: FnMut(&T) -> bool,".
    title = title.trim().replace(/\s*,$/, '');
    if (title === '') return;
    this.append(title);
    this.inKeyTakeaways = KEY_TAKEAWAYS.test(title);
    // The title is already the document's name; repeating it in every heading path adds nothing.
    // Some generators title the content with an h2 (Node.js: the h1 is the site's name).
    const titled = this.title !== undefined && sameText(this.title, title);
    if ((level === 1 && (this.title === undefined || titled)) || (titled && this.headings.length === 0)) {
      this.title ??= title;
      return;
    }
    while (this.headings.length > 0 && this.headings[this.headings.length - 1]!.level >= level) this.headings.pop();
    this.headings.push({ level, title, anchor: opts.anchor, scope: opts.scope ?? 0, blocksBefore: this.blocks.length });
  }

  /**
   * Forgets headings met inside an HTML scope that has just closed, except one that nothing has
   * followed yet: rustdoc's `<section id="method.retain">` holds the method's signature heading
   * alone, and its documentation comes after the section closes. That heading moves out to the
   * enclosing scope, to head what follows until a heading of its level or the enclosing scope ends,
   * and takes the scope's anchor (the section's id) when it has none of its own.
   */
  closeScope(scope: number, anchor?: string): void {
    while (this.headings.length > 0 && this.headings[this.headings.length - 1]!.scope >= scope) {
      const heading = this.headings.pop()!;
      if (heading.scope === scope && heading.blocksBefore === this.blocks.length && this.headings.every((h) => h.scope < scope)) {
        this.headings.push({ ...heading, scope: scope - 1, anchor: heading.anchor ?? anchor });
        return;
      }
    }
  }

  /**
   * Runs `write` outside every section: what it writes (a chapter's footnotes) belongs to no section
   * of the document. What follows is under the headings that were open before (rustdoc puts an
   * item's footnotes before its "Implementations").
   */
  outsideSections(write: () => void): void {
    const open = this.headings.splice(0);
    write();
    this.headings.splice(0, this.headings.length, ...open);
  }

  get innermostHeading(): Readonly<Heading> | undefined {
    return this.headings[this.headings.length - 1];
  }

  openBlock(): void {
    this.pending = [];
    this.pendingStart = this.length;
  }

  /**
   * Records everything appended since `openBlock` as one block, trimmed: text blocks of all
   * surrounding whitespace, code blocks only of blank lines and trailing space (indentation matters).
   */
  closeBlock(opts: { kind?: Block['kind']; anchor?: string; listItem?: boolean } = {}): void {
    const kind = opts.kind ?? 'text';
    const raw = (this.pending ?? []).join('');
    this.pending = null;
    const lead = kind === 'code' ? (/^(?:[ \t]*\n)*/.exec(raw)?.[0].length ?? 0) : raw.length - raw.trimStart().length;
    const content = raw.slice(lead).trimEnd();
    if (content === '') return;
    const start = this.pendingStart + lead;
    const end = start + content.length;
    this.blocks.push({
      start,
      end,
      kind,
      headingPath: this.headings.map((h) => h.title),
      anchor: opts.anchor ?? this.innermostHeading?.anchor,
    });
    const listItem = kind === 'text' && opts.listItem === true;
    // A "Key Takeaways" line opens a run of list items that become key points; anything else ends it.
    if (listItem && this.inKeyTakeaways) this.keyPoints.push({ start, end });
    else this.inKeyTakeaways = !listItem && KEY_TAKEAWAYS.test(content);
  }

  block(content: string, opts: { kind?: Block['kind']; anchor?: string; listItem?: boolean } = {}): void {
    this.openBlock();
    this.append(content);
    this.closeBlock(opts);
  }

  finish(): Pick<Parsed, 'text' | 'blocks' | 'keyPoints'> {
    return { text: this.parts.join('').trimEnd(), blocks: this.blocks, keyPoints: this.keyPoints };
  }
}

/** Equal but for spacing and case: mdBook titles a page "What is Ownership?" and heads it "What Is Ownership?". */
function sameText(a: string, b: string): boolean {
  const plain = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
  return plain(a) === plain(b);
}
