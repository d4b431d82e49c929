import matter from 'gray-matter';
import { TextBuilder, type Parsed } from './builder.js';
import { parseLines } from './lines.js';
import { isoDate, textField } from './meta.js';

const refuse = (): never => {
  throw new Error('JavaScript front matter is not allowed (it would run code from the docs folder)');
};

/**
 * Passing options also keeps gray-matter from caching by content: its cache would hand a broken
 * file's half-parsed result back on the next load instead of the error.
 */
const MATTER_OPTIONS = { engines: { js: refuse, javascript: refuse } };

/** Markdown with optional YAML front matter (`title`, `source`, `date`, `url`). Throws on bad YAML. */
export function parseMarkdown(content: string): Parsed {
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(content, MATTER_OPTIONS);
  } catch (err) {
    // js-yaml appends a multi-line excerpt of the file; the first line says what and where.
    throw new Error(`bad front matter: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  const { data, content: body } = parsed;
  const warnings: string[] = [];
  const date = isoDate(data.date);
  if (data.date != null && date === undefined) {
    warnings.push(`front matter date ${JSON.stringify(data.date)} is not a date; ignored`);
  }
  const b = new TextBuilder(textField(data.title));
  parseLines(body.split('\n'), b, { markdown: true });
  return { ...b.finish(), title: b.title, source: textField(data.source), url: textField(data.url), date, warnings };
}
