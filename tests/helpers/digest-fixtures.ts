// A store holding the seed corpus as indexed at one moment, and ten logged questions after it.
import type { DigestLibrary } from '../../src/digest/sources.js';
import type { LoadedIndex } from '../../src/index/store.js';
import type { Records } from '../../src/records/records.js';

export const INDEXED_AT = new Date('2024-11-01T08:00:00Z');
export const PERIOD = { since: new Date('2024-11-01T07:00:00Z'), until: new Date('2024-11-02T07:00:00Z') };

/**
 * Ten questions from the seed dev set (tests/fixtures/eval/seeds-dev.jsonl), with a repeat, a reworded
 * near-duplicate, a question the corpus cannot answer, and a 👎 on one answer.
 */
export const TEN_QUESTIONS: Array<{ q: string; user: string; down?: boolean }> = [
  { q: 'Where in Russia were most of the North Korean troops sent?', user: 'u1' },
  { q: 'What did Yoon Suk Yeol call North Korea\'s deployment?', user: 'u2' },
  { q: 'where in russia were most of the north korean troops sent', user: 'u3' },
  { q: 'Which Indo-Pacific partners attended the NAC briefing?', user: 'u1' },
  { q: 'What is the weather in Paris tomorrow?', user: 'u4' },
  { q: 'Where in Russia were most North Korean troops sent to?', user: 'u2' },
  { q: 'How many conflict deaths has ACLED recorded on Russian territory?', user: 'u5' },
  { q: 'What kind of help has South Korea given Ukraine so far?', user: 'u3', down: true },
  { q: 'What political triggers force people from their homes?', user: 'u6' },
  { q: 'When did Ukraine capture parts of Kursk?', user: 'u1' },
];

/** Records the library's documents as indexed at INDEXED_AT and logs the ten questions (answered as the library answers them). */
export async function seedActivity(records: Records, library: DigestLibrary & { loaded: LoadedIndex }, guildId = 'g1'): Promise<void> {
  await records.recordIndexedDocuments([...library.loaded.documents.values()], INDEXED_AT);
  for (const [i, { q, user, down }] of TEN_QUESTIONS.entries()) {
    const answer = await library.ask(q, { k: 3 });
    const id = await records.questionLog.logQuestion({
      guildId,
      channelId: 'c1',
      userId: user,
      question: q,
      answered: answer.answered,
      refs: answer.results.map((r) => r.citation.ref),
      scores: answer.results.map((r) => r.score),
      latencyMs: answer.ms,
      askedAt: new Date(INDEXED_AT.getTime() + (i + 1) * 3600_000),
    });
    if (down && id !== null) await records.questionLog.recordFeedback(id, 'u9', 'down');
  }
}
