/**
 * Concurrency benchmark: N concurrent /ask interactions (default 20, from N different users) through the
 * Discord test double against the real bot process and the real library (bundled embedder, the bot
 * fixture corpus). Every one must be acknowledged within 3 s; prints the time to acknowledge and the
 * p50/p99 time to the final reply, as Discord sees them (from dispatch on the gateway).
 *
 *   npx tsx bench/discord-ask.ts [--concurrency 20] [--rounds 1] [--docs tests/fixtures/bot-docs]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, startBotProcess } from '../tests/discord-double/bot-process.js';
import { startDiscordDouble, type InteractionRecord } from '../tests/discord-double/index.js';

const QUESTIONS = [
  'How do I get access to the VPN?',
  'When do deploys go out?',
  'How do I roll back a bad deploy?',
  'Who reviews my first pull request?',
  'What happens on my first day?',
  'Who owns incident communication?',
  'How often does on-call post incident updates?',
  'Can I deploy on a Friday afternoon?',
  'How long does VPN approval take?',
  'What should I ship in my first week?',
  'How long does the glacier archive keep backup tapes?',
  'How long does a restore from the glacier archive take?',
  'Where is the summer party?',
  'Who is my onboarding buddy?',
  'How long does a rollback take?',
  'How do I reach the staging environment?',
  'What do I do with the temporary password?',
  'Does the rollback page anyone?',
  'What is the recipe for sourdough bread?',
  'Which laptop do I get?',
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '1' },
    docs: { type: 'string', default: 'tests/fixtures/bot-docs' },
  },
});
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

const double = await startDiscordDouble();
const started = Date.now();
const bot = await startBotProcess(double, { docsDir: path.resolve(REPO_ROOT, values.docs) });
process.stdout.write(`bot serving after ${Date.now() - started} ms (index built from ${values.docs})\n`);
let failed = false;
try {
  // Warm-up: the first question loads lazily initialised parts of the embedder.
  for (const question of QUESTIONS.slice(0, 2)) await double.waitForFinal(double.slash('ask', { question }, { user: 'warm-up' }), 60_000);

  const all: InteractionRecord[] = [];
  for (let round = 0; round < rounds; round++) {
    const batch = Array.from({ length: concurrency }, (_, i) =>
      double.slash('ask', { question: QUESTIONS[i % QUESTIONS.length]! }, { user: `bench-${round}-${i}` }),
    );
    await Promise.all(batch.map((record) => double.waitForFinal(record, 60_000)));
    all.push(...batch);
  }
  const acks = all.map((r) => r.ackAt! - r.dispatchedAt).sort((a, b) => a - b);
  const finals = all.map((r) => r.finalAt! - r.dispatchedAt).sort((a, b) => a - b);
  const late = acks.filter((ms) => ms >= 3000).length;
  const rejected = double.violations.length;
  const row = (label: string, list: number[]) =>
    `${label.padEnd(22)} p50 ${String(percentile(list, 50)).padStart(5)} ms   p99 ${String(percentile(list, 99)).padStart(5)} ms   max ${String(list.at(-1)).padStart(5)} ms`;
  process.stdout.write(
    [
      '',
      `${all.length} /ask interactions, ${concurrency} concurrent × ${rounds} round(s), ${new Set(all.map((r) => r.userId)).size} users`,
      row('acknowledgement', acks),
      row('final reply', finals),
      `acknowledged within 3 s: ${all.length - late}/${all.length}${late ? '  <-- FAIL' : ''}`,
      `requests Discord would have refused: ${rejected}`,
      '',
    ].join('\n'),
  );
  failed = late > 0 || rejected > 0;
} finally {
  await bot.stop('SIGTERM');
  await double.close();
}
process.exitCode = failed ? 1 : 0;
