import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The seeds paraphrase sets (issue 16) were written blind: questions in people's own words, with
// answer texts checked against the documents as archivist loads them. The DEV split's figures
// must not fall below those measured before the retrieval work (docs/evaluation.md); raise
// the floors as retrieval improves. The TEST split is for reporting only and is not asserted here.
const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'tests/fixtures/eval');
const seedsDev = path.join(fixtures, 'seeds-paraphrase-dev.jsonl');
let tmp: string;

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, EMBEDDING_MODEL: 'bundled', LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'archivist-paraphrase-'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the blind question sets', () => {
  it('give answers that are quotable from the documents as loaded', () => {
    const sets = ['seeds-paraphrase-dev.jsonl', 'seeds-paraphrase-test.jsonl'].map((name) => path.join(fixtures, name));
    const { code, stdout, stderr } = run('bench/check-answers.ts', [...sets, '--docs', 'seeds']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('86 questions over 3 documents');
  });

  it.each(['seeds-paraphrase', 'debian-reference', 'python-docs-words'])('%s: are the fixed-seed split of the whole set, whatever its order', (set) => {
    const dev = readFileSync(path.join(fixtures, `${set}-dev.jsonl`), 'utf8');
    const test = readFileSync(path.join(fixtures, `${set}-test.jsonl`), 'utf8');
    const whole = path.join(tmp, `${set}.jsonl`);
    writeFileSync(whole, test + dev);
    const out = [path.join(tmp, `${set}-dev.jsonl`), path.join(tmp, `${set}-test.jsonl`)];
    const { code, stderr } = run('bench/split-questions.ts', [whole, ...out, '--seed', '16']);
    expect(code, stderr).toBe(0);
    expect(readFileSync(out[0]!, 'utf8')).toBe(dev);
    expect(readFileSync(out[1]!, 'utf8')).toBe(test);
  });

  it('are checked strictly: an answer not in its page, or across paragraphs, fails the check', () => {
    const bad = path.join(tmp, 'bad.jsonl');
    const page = ['wilson-center-forced-displacement.md'];
    const lines = [
      { id: 'paraphrased', q: 'How many are displaced?', answer: 'some 110 million people are displaced', pages: page, kind: 'synonym' },
      { id: 'two-paragraphs', q: 'Why do they flee?', answer: 'each year!\n\nAt the heart of this crisis', pages: page, kind: 'vague' },
      { id: 'ok', q: 'How many are displaced?', answer: 'There are currently some 110 million forced displaced', pages: page, kind: 'synonym' },
    ];
    writeFileSync(bad, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const { code, stderr } = run('bench/check-answers.ts', [bad, '--docs', 'seeds']);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.jsonl:1: answer "some 110 million people are displaced" is not in the text of its pages');
    expect(stderr).toContain('bad.jsonl:2: answer "each year!\\n\\nAt the heart of this crisis" crosses a paragraph boundary');
    expect(stderr).not.toContain('bad.jsonl:3');
  });
});

describe('archivist eval on the seeds paraphrase DEV set (bundled encoder, k = 3)', () => {
  it('does not fall below the figures measured after issue 16', () => {
    const index = path.join(tmp, 'index');
    const env = { DOCS_DIR: path.join(root, 'seeds'), INDEX_DIR: index };
    const built = run('src/cli.ts', ['index'], env);
    expect(built.code, built.stderr).toBe(0);
    const { code, stdout, stderr } = run('src/cli.ts', ['eval', seedsDev, '--k', '3', '--json'], env);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ mode: 'hybrid', answerable: 33, unanswerable: 10 });
    expect(report.hitAtK).toBe(1);
    // 20 of 33 answer texts in a quoted sentence; 6 of 10 off-topic questions declined; 6 of 33
    // answerable questions declined (measured 2026-12-05 with WordNet's exception lists and the
    // unknown-subject rule for nouns only, docs/retrieval-own-words.md section 9; before issue 16:
    // 15 of 33, 7 of 10 and 11 of 33 — "ICBM" now also finds "intercontinental ballistic missile",
    // which answers one off-topic question about a missile's range from a passage about the launch).
    expect(report.quoteAtK).toBeGreaterThanOrEqual(0.606);
    expect(report.noAnswerAccuracy).toBeGreaterThanOrEqual(0.6);
    expect(report.falseDeclines).toBeLessThanOrEqual(0.182);
    // A declined question names the nearest sections: "What position does Mark Rutte hold?" is
    // pointed to the passage naming him, and no off-topic question gets a section named.
    expect(report.declines.answerablePointed).toBeGreaterThanOrEqual(1);
    expect(report.declines.unanswerablePointed).toBe(0);
  });
});
