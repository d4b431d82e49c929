import { embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Digest } from '../src/digest/digest.js';
import { renderDiscord, type DigestMessage } from '../src/digest/render-discord.js';
import { renderJson, renderText } from '../src/digest/render-text.js';

const base: Digest = {
  period: { since: '2024-11-01T08:00:00.000Z', until: '2024-11-02T08:00:00.000Z' },
  timezone: 'Europe/Berlin',
  lateFor: null,
  libraryNotListed: 0,
  library: [
    {
      id: 'isw',
      title: 'N. Korean troops turn up in occupied Ukraine',
      source: 'Institute for the Study of War',
      date: '2024-10-30',
      url: null,
      change: 'new',
      pointsFrom: 'key-takeaways',
      points: [{ text: 'Ukrainian forces recently regained positions near Pokrovsk.', ref: 'isw:21' }],
    },
  ],
  mostAsked: [{ question: 'Where were the troops sent?', count: 3, quote: { text: 'the vast majority to the Kursk region', ref: 'nk:2', title: 'North Korean troops' } }],
  notFound: [
    { question: 'What is the weather in Paris tomorrow?', count: 1, unanswered: 1, downvotes: 0 },
    { question: 'What position does Mark_Rutte hold?', count: 2, unanswered: 2, downvotes: 0, nearest: { where: 'North Korean *troops*', ref: 'nk:5' } },
  ],
  figures: { questions: 10, answered: 8, documents: 3, passages: 47 },
};

/** Every Discord limit on one message. */
function expectWithinLimits(message: DigestMessage): void {
  expect(message.allowedMentions).toEqual({ parse: [] });
  expect(message.content?.length ?? 0).toBeLessThanOrEqual(2000);
  for (const embed of message.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(25);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(256);
      expect(field.value.length).toBeLessThanOrEqual(1024);
    }
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
  }
}

const words = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i}`).join(' ');

describe('renderDiscord', () => {
  it('one embed with the sections: library in the description, most asked and not found as fields, figures in the footer', () => {
    const message = renderDiscord(base);
    expectWithinLimits(message);
    const [embed] = message.embeds;
    expect(embed!.title).toBe('📚 Digest for Saturday, 2 November 2024');
    expect(embed!.description).toContain('**New and changed in the library**');
    expect(embed!.description).toContain('**N. Korean troops turn up in occupied Ukraine** · Institute for the Study of War · 2024-10-30 · new');
    expect(embed!.description).toContain('> “Ukrainian forces recently regained positions near Pokrovsk.” `isw:21`');
    expect(embed!.fields!.map((f) => f.name)).toEqual(['Most asked', 'Not found']);
    expect(embed!.fields![0]!.value).toContain('(asked 3×)');
    // A declined question names the section the library came closest to, escaped, with its ref.
    expect(embed!.fields![1]!.value).toBe(
      '• What is the weather in Paris tomorrow? — no confident answer\n• What position does Mark\\_Rutte hold? (asked 2×) — no confident answer ×2 · nearest: North Korean \\*troops\\* `nk:5`',
    );
    expect(embed!.footer!.text).toBe('10 questions · 80% answered · 3 documents · 47 passages in the library');
  });

  it('flags a late digest', () => {
    const message = renderDiscord({ ...base, lateFor: '2024-11-02T08:00:00.000Z' });
    expect(message.embeds[0]!.description).toMatch(/Late: due <t:1730534400:f>/);
  });

  it('stays within every limit when the period is huge, cutting quotes at a boundary and saying what was left out', () => {
    const huge: Digest = {
      ...base,
      library: Array.from({ length: 60 }, (_, i) => ({
        ...base.library[0]!,
        id: `doc${i}`,
        title: `Document ${i} ${words(60, 't')}`,
        points: Array.from({ length: 3 }, (_, j) => ({ text: `${words(150, `p${j}w`)}. Second sentence.`, ref: `doc${i}:${j + 1}` })),
      })),
      mostAsked: Array.from({ length: 5 }, (_, i) => ({ question: words(100, `q${i}w`) + '?', count: 9 - i, quote: { text: words(400, 'quote'), ref: `d:${i}`, title: words(50, 'title') } })),
      notFound: Array.from({ length: 40 }, (_, i) => ({ question: words(40, `nf${i}w`), count: 2, unanswered: 1, downvotes: 1 })),
    };
    const message = renderDiscord({ ...huge, libraryNotListed: 500 });
    expectWithinLimits(message);
    const embed = message.embeds[0]!;
    const [, hidden] = /… and (\d+) more documents\.$/.exec(embed.description!)!;
    expect(Number(hidden)).toBe(500 + 60 - (embed.description!.match(/^\*\*Document /gm) ?? []).length);
    expect(embed.fields!.at(-1)!.value).toMatch(/… and \d+ more\.$/);
    // Each quote is cut after a whole word and marked.
    expect(embed.description).toMatch(/p0w\d+…” `doc0:1`/);
    expect(embed.fields!.filter((f) => f.name !== 'Not found')).toHaveLength(5);
    console.log(`huge digest: embed ${embedLength(embed)} characters, description ${embed.description!.length}, ${embed.fields!.length} fields`);
  });

  it('shows markdown in quotes and questions literally and defuses mentions', () => {
    const hostile = '@everyone look at **this** <@123> <@&456> <#789> [click](https://evil.example) # heading';
    const message = renderDiscord({
      ...base,
      library: [{ ...base.library[0]!, points: [{ text: hostile, ref: 'x:1' }] }],
      notFound: [{ question: hostile, count: 1, unanswered: 1, downvotes: 0 }],
    });
    const all = JSON.stringify(message.embeds);
    expect(all).not.toMatch(/@everyone|<@123>|<@&456>|<#789>|(?<!\\)\*\*this|(?<!\\)\[click\]\(/);
    expect(all).toContain('\\\\*\\\\*this\\\\*\\\\*');
    expect(message.allowedMentions).toEqual({ parse: [] });
  });

  it('an empty period is one line', () => {
    const empty = { ...base, library: [], mostAsked: [], notFound: [], figures: { ...base.figures, questions: 0, answered: 0 } };
    expect(renderDiscord({ ...empty, libraryNotListed: 1 }).embeds).toHaveLength(1);
    const message = renderDiscord(empty);
    expect(message.embeds).toEqual([]);
    expect(message.content).toMatch(/^📭 Nothing new since <t:\d+:f>: no documents were added or changed and no questions were asked\.$/);
  });
});

describe('a document with an address', () => {
  const withUrl: Digest = { ...base, library: [{ ...base.library[0]!, title: 'Leave [draft]', url: 'https://wiki.example.com/hr/leave (2024)' }] };

  it('links its title in Discord, brackets escaped and the address made safe', () => {
    expect(renderDiscord(withUrl).embeds[0]!.description).toContain('**[Leave \\[draft\\]](https://wiki.example.com/hr/leave%20%282024%29)** · Institute');
  });

  it('gives its address under the title in a terminal', () => {
    expect(renderText(withUrl)).toContain('  Leave [draft] — Institute for the Study of War · 2024-10-30 · new\n    https://wiki.example.com/hr/leave (2024)\n');
  });
});

describe('renderText', () => {
  it('prints the same sections for a terminal, dates in the digest zone', () => {
    const text = renderText(base);
    expect(text).toContain('Digest, 1 Nov 2024, 09:00 to 2 Nov 2024, 09:00 (Europe/Berlin)');
    expect(text).toContain('New and changed in the library\n  N. Korean troops turn up in occupied Ukraine — Institute for the Study of War · 2024-10-30 · new');
    expect(text).toContain('    • “Ukrainian forces recently regained positions near Pokrovsk.” [isw:21]');
    expect(text).toContain('Most asked\n  Where were the troops sent? (asked 3×)\n    “the vast majority to the Kursk region” — North Korean troops [nk:2]');
    expect(text).toContain(
      'Not found\n  • What is the weather in Paris tomorrow? — no confident answer\n  • What position does Mark_Rutte hold? (asked 2×) — no confident answer ×2 · nearest: North Korean *troops* [nk:5]',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('10 questions · 80% answered · 3 documents · 47 passages in the library');
  });

  it('JSON is the digest object itself', () => {
    expect(JSON.parse(renderJson(base))).toEqual(base);
  });
});
