// Splits a question set into dev (tune on it) and test (report only) halves, stratified by kind,
// with a fixed-seed shuffle so that the split is reproducible and chosen before any result is seen.
//
//   npx tsx bench/split-questions.ts ALL.jsonl DEV.jsonl TEST.jsonl [--seed 16]
//
// Each kind is put in id order, shuffled and halved; where a kind has an odd count its extra
// question goes to dev and test in turn (kinds in name order), so the halves differ by at most one
// question. Id order first makes the split independent of the input's order: splitting
// `cat DEV TEST` again gives the same two files.
import { readFileSync, writeFileSync } from 'node:fs';

/** mulberry32: a small seeded generator, enough for a reproducible shuffle. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 16;
  const [all, devFile, testFile] = args.filter((_, i) => seedAt < 0 || (i !== seedAt && i !== seedAt + 1));
  if (all === undefined || devFile === undefined || testFile === undefined || !Number.isInteger(seed)) {
    throw new Error('usage: split-questions ALL.jsonl DEV.jsonl TEST.jsonl [--seed N]');
  }
  const lines = readFileSync(all, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const byKind = new Map<string, Array<{ id: string; line: string }>>();
  for (const line of lines) {
    const { id, kind } = JSON.parse(line) as { id: string; kind: string };
    byKind.set(kind, [...(byKind.get(kind) ?? []), { id, line }]);
  }
  const random = generator(seed);
  const dev: string[] = [];
  const test: string[] = [];
  let extraToDev = true;
  for (const kind of [...byKind.keys()].sort()) {
    const inIdOrder = byKind
      .get(kind)!
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((question) => question.line);
    const shuffled = shuffle(inIdOrder, random);
    let half = Math.floor(shuffled.length / 2);
    if (shuffled.length % 2 === 1) {
      if (extraToDev) half++;
      extraToDev = !extraToDev;
    }
    dev.push(...shuffled.slice(0, half));
    test.push(...shuffled.slice(half));
  }
  writeFileSync(devFile, dev.join('\n') + '\n');
  writeFileSync(testFile, test.join('\n') + '\n');
  console.log(`${lines.length} questions: ${dev.length} dev, ${test.length} test (seed ${seed})`);
}

main();
