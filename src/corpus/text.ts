import { TextBuilder, type Parsed } from './builder.js';
import { parseLines } from './lines.js';

/** Plain text: the first non-empty line is the title, the rest the body, paragraphs by blank lines. */
export function parseText(content: string): Parsed {
  const lines = content.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '');
  const b = new TextBuilder(first === -1 ? undefined : lines[first]!.trim());
  parseLines(lines.slice(first + 1), b, { markdown: false });
  return { ...b.finish(), title: b.title, warnings: [] };
}
