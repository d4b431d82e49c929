// Documents and a splitter for index tests, built directly so the tests depend only on src/index.
import { createHash } from 'node:crypto';
import type { Block, Document, Passage } from '../../src/types.js';
import type { Splitter } from '../../src/index/update.js';

export interface Section {
  heading?: string;
  paragraphs: string[];
}

/** A document whose blocks are the given paragraphs, under optional headings. */
export function makeDoc(id: string, title: string, sections: Section[]): Document {
  let text = '';
  const blocks: Block[] = [];
  for (const section of sections) {
    for (const paragraph of section.paragraphs) {
      if (text !== '') text += '\n\n';
      blocks.push({ start: text.length, end: text.length + paragraph.length, kind: 'text', headingPath: section.heading ? [section.heading] : [] });
      text += paragraph;
    }
  }
  const hash = createHash('sha256').update(`${title}\n${text}`).digest('hex');
  return { id, path: `${id}.md`, title, text, blocks, hash };
}

/** One passage per block: predictable counts for asserting what was embedded. */
export function splitByBlock(doc: Document): Passage[] {
  return doc.blocks.map((block, i) => ({
    ref: `${doc.id}:${i + 1}`,
    docId: doc.id,
    ordinal: i + 1,
    start: block.start,
    end: block.end,
    text: doc.text.slice(block.start, block.end),
    paragraph: i + 1,
    headingPath: block.headingPath,
  }));
}

export const blockSplitter: Splitter = { version: 'test-one-passage-per-block/1', split: splitByBlock };

export function sampleCorpus(): Document[] {
  return [
    makeDoc('guides/artillery', 'Artillery guide', [
      { heading: 'Calibres', paragraphs: ['The M777 howitzer fires 155mm shells over long distances.', 'Crews train for months before deployment.'] },
      { heading: 'Logistics', paragraphs: ['Each battery consumed 3,794 rounds during the exercise.'] },
    ]),
    makeDoc('notes/gardening', 'Gardening notes', [
      { paragraphs: ['Tomatoes need full sun and regular watering.', 'Prune the basil before it flowers.'] },
    ]),
    makeDoc('notes/cooking', 'Cooking notes', [
      { heading: 'Bread', paragraphs: ['Sourdough bread rises slowly in a cool kitchen.'] },
      { heading: 'Soup', paragraphs: ['Lentil soup freezes well for weeks.'] },
    ]),
  ];
}

/** Enough documents (40 × 5 passages) for an index build to take several embedding batches. */
export function largeCorpus(): Document[] {
  const topics = ['rivers', 'bridges', 'castles', 'orchards', 'harbours', 'mills', 'canals', 'forests'];
  return Array.from({ length: 40 }, (_, d) =>
    makeDoc(`large/doc-${d}`, `Survey ${d} of ${topics[d % topics.length]}`, [
      { heading: 'Findings', paragraphs: Array.from({ length: 5 }, (_, p) => `Site ${d}-${p} records ${topics[(d + p) % topics.length]} number ${d * 10 + p}.`) },
    ]),
  );
}
