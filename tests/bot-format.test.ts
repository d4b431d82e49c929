import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/bot/bot-config.js';
import { sameCommands } from '../src/bot/command-registry.js';
import { commandFromModule } from '../src/bot/commands-loader.js';
import { askFeedbackId, askPassageId, parseAskId, parseSourceId, sourceListId, sourceViewId } from '../src/bot/custom-ids.js';
import { formatAnswer, renderQuote } from '../src/bot/format-answer.js';
import { formatDocumentList, formatSourceView } from '../src/bot/format-source.js';
import { formatStatus } from '../src/bot/format-status.js';
import { formatDuration } from '../src/format/duration.js';
import { ELLIPSIS, LIMITS, cutAtBoundary, cutStartAtBoundary, embedLength, fitRendered, truncate } from '../src/bot/limits.js';
import { escapeText, maskedLink, neutralizeMentions, safeUrl, unescapeText } from '../src/bot/markdown.js';
import { MemoryQuestionLog } from '../src/bot/memory-question-log.js';
import { questionFromMention } from '../src/bot/mentions.js';
import { RateLimiter, rateLimitMessage } from '../src/bot/rate-limit.js';
import type { DocumentSummary, SourceView } from '../src/library-api.js';
import type { Answer, SearchHit } from '../src/types.js';

const HOSTILE = '@everyone **bold** <@123456789012345678> <@&42424242424242424> <@!1234> _x_ ||spoiler|| `code` ~~s~~ [link](https://evil.example) # h @here > q \\ back';

function hit(overrides: Partial<SearchHit> & { ref?: string; url?: string | null; title?: string } = {}): SearchHit {
  const passage = overrides.passage ?? 'Deploys go out every weekday. To roll back, run the rollback job from the console. It pages on-call.';
  const quote = overrides.quote ?? 'To roll back, run the rollback job from the console.';
  return {
    quote,
    quoteStart: 0,
    quoteEnd: quote.length,
    passage,
    score: overrides.score ?? 0.8,
    citation: {
      ref: overrides.ref ?? 'runbooks/deploys:2',
      title: overrides.title ?? 'Deploying and Rolling Back',
      source: 'Platform Runbook',
      date: '2024-05-12',
      path: 'runbooks/deploys.md',
      url: overrides.url === undefined ? 'https://runbook.example.com/deploys' : overrides.url,
      paragraph: 2,
      headingPath: [],
    },
  };
}

function answer(hits: SearchHit[], question = 'How do I roll back a deploy?'): Answer {
  return { question, answered: hits.length > 0, results: hits, ms: 12 };
}

/** The text a reader sees in a rendered blockquote, with the bold and escapes undone. */
function readQuote(rendered: string): string {
  return unescapeText(
    rendered
      .split('\n')
      .filter((line) => line.startsWith('>'))
      .map((line) => line.replace(/^> ?/, ''))
      .join('\n')
      .replace(/(?<!\\)\*\*/g, ''),
  );
}

function strongPart(rendered: string): string {
  const parts = [...rendered.matchAll(/(?<!\\)\*\*([\s\S]*?)(?<!\\)\*\*/g)].map((m) => m[1]!);
  return unescapeText(parts.join(' '));
}

function checkLimits(parts: ReturnType<typeof formatAnswer>): void {
  const [embed] = parts.embeds;
  expect(parts.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  expect((embed!.title ?? '').length).toBeLessThanOrEqual(LIMITS.embedTitle);
  expect((embed!.description ?? '').length).toBeLessThanOrEqual(LIMITS.embedDescription);
  expect((embed!.fields ?? []).length).toBeLessThanOrEqual(LIMITS.embedFields);
  for (const field of embed!.fields ?? []) {
    expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
    expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(field.value.trim()).not.toBe('');
  }
  expect(embedLength(parts.embeds as never)).toBeLessThanOrEqual(LIMITS.embedTotal);
  expect(parts.components.length).toBeLessThanOrEqual(LIMITS.actionRows);
  const ids = parts.components.flatMap((row) => row.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
  for (const id of ids) expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('limits', () => {
  it('cuts at a sentence end when that keeps enough text', () => {
    const text = 'First sentence is here. Second one follows it. Third is long enough to be cut off somewhere.';
    expect(cutAtBoundary(text, 60)).toBe('First sentence is here. Second one follows it.');
  });

  it('falls back to a word boundary, then a hard cut that keeps surrogate pairs whole', () => {
    expect(cutAtBoundary('alpha beta gamma delta epsilon', 18)).toBe('alpha beta gamma');
    expect(cutAtBoundary('x'.repeat(50), 10)).toBe('x'.repeat(10));
    const emoji = 'ab😀cd';
    expect(cutAtBoundary(emoji, 3)).toBe('ab');
  });

  it('cuts the start of text at a sentence or word start', () => {
    const text = 'Old context that goes first. Then the lead-in to the quote';
    expect(cutStartAtBoundary(text, 32)).toBe('Then the lead-in to the quote');
    expect(cutStartAtBoundary('one two three four five', 12)).toBe('four five');
  });

  it('truncates with an ellipsis and says where the rest is', () => {
    const out = truncate('word '.repeat(100), 50, ' full passage: /source ref:a:1');
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).toMatch(/…\sfull passage: \/source ref:a:1$/u);
    expect(truncate('short', 50)).toBe('short');
  });

  it('fits rendered text whose escaping makes it longer', () => {
    const raw = '*_'.repeat(100);
    const fit = fitRendered(raw, 50, escapeText);
    expect(fit.cut).toBe(true);
    expect(fit.rendered.length).toBeLessThanOrEqual(50);
    expect(unescapeText(fit.rendered)).toBe(fit.text);
  });
});

describe('markdown safety', () => {
  it('escapes markdown and breaks every mention, and the escaping reads back exactly', () => {
    const escaped = escapeText(HOSTILE);
    expect(escaped).not.toMatch(/@everyone|@here/);
    expect(escaped).not.toMatch(/<@[!&]?\d/);
    expect(escaped).not.toMatch(/(?<!\\)\*\*/);
    expect(escaped).not.toMatch(/(?<!\\)\|\|/);
    expect(escaped).not.toMatch(/(?<!\\)\[link\]/);
    expect(unescapeText(escaped)).toBe(HOSTILE);
  });

  it('neutralises mentions textually', () => {
    expect(neutralizeMentions('hi @everyone and <@123> and <#9> and @here')).not.toMatch(/@everyone|<@1|<#9|@here/);
  });

  it('links only http(s) URLs', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('https://x.example/a (b)')).toBe('https://x.example/a%20%28b%29');
    expect(maskedLink('Doc [1]', 'https://x.example')).toBe('[Doc \\[1\\]](https://x.example/)');
    expect(maskedLink('Doc', 'ftp://x')).toBe('Doc');
  });
});

describe('formatAnswer', () => {
  it('quotes each hit with the best sentence in bold, a linked citation and a ref, within limits', () => {
    const parts = formatAnswer(answer([hit(), hit({ ref: 'handbook/onboarding:1', url: null, title: 'Onboarding', quote: 'Ask IT.', passage: 'Ask IT.' })]), { questionId: 7 });
    checkLimits(parts);
    const embed = parts.embeds[0]!;
    expect(embed.title).toBe('How do I roll back a deploy?');
    const [first, second] = embed.fields!;
    expect(strongPart(first!.value)).toBe('To roll back, run the rollback job from the console.');
    expect(readQuote(first!.value)).toBe(hit().passage);
    expect(first!.value).toContain('— [Platform Runbook — Deploying and Rolling Back (2024-05-12), ¶ 2](https://runbook.example.com/deploys)');
    expect(first!.value).toContain('Ref `runbooks/deploys:2`');
    expect(second!.value).toContain('— Platform Runbook — Onboarding (2024-05-12), ¶ 2');
    const ids = parts.components.flatMap((row) => row.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    expect(ids).toEqual(['ask:p:0:runbooks/deploys:2', 'ask:p:1:handbook/onboarding:1', 'ask:fb:7:up', 'ask:fb:7:down']);
  });

  it('says "not found" and shows no quotes when nothing is relevant', () => {
    const parts = formatAnswer({ question: 'What is the airspeed of a swallow?', answered: false, results: [hit()], ms: 5 }, { questionId: 3 });
    checkLimits(parts);
    expect(parts.embeds[0]!.fields ?? []).toHaveLength(0);
    expect(parts.embeds[0]!.description).toContain('Not found in the library');
    expect(JSON.stringify(parts)).not.toContain('rollback job');
    expect(parts.components).toHaveLength(1);
  });

  it('says which names the library lacks when they explain the decline, escaped as text', () => {
    const missingNames = [
      { name: 'Heroku', inLibrary: false },
      { name: 'Java_Script', inLibrary: true },
    ];
    const parts = formatAnswer({ question: 'Deploy to Heroku from Java_Script?', answered: false, results: [], missingNames, ms: 5 }, { questionId: null });
    checkLimits(parts);
    expect(parts.embeds[0]!.description).toContain('The library never mentions “Heroku”. None of the passages that match the rest of the question mention “Java\\_Script”.');
  });

  it('names the nearest sections of a declined question within the limits, however long their addresses', () => {
    const near = (i: number, url: string) => ({ ...hit({ ref: `runbooks/deploys:${i}`, url }).citation, paragraph: i });
    const short = formatAnswer({ question: 'Can I deploy on a Friday?', answered: false, results: [], nearest: [near(2, 'https://runbook.example.com/deploys')], ms: 5 }, { questionId: 3 });
    checkLimits(short);
    expect(short.embeds[0]!.description).toContain('Nearest sections, not checked to answer it:\n• [Platform Runbook — Deploying and Rolling Back (2024-05-12), ¶ 2](https://runbook.example.com/deploys) — `runbooks/deploys:2`');
    const ids = short.components.flatMap((row) => row.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    expect(ids).toEqual(['ask:p:0:runbooks/deploys:2', 'ask:fb:3:up', 'ask:fb:3:down']);

    const long = `https://runbook.example.com/${'very-long-path/'.repeat(100)}`;
    const question = `${'*'.repeat(600)} ${'why '.repeat(95)}?`;
    const crowded = formatAnswer({ question, answered: false, results: [], nearest: [near(1, long), near(2, long), near(3, long)], ms: 5 }, { questionId: 3 });
    checkLimits(crowded);
    // The sections that fit are named, each with its button; the rest are left out rather than cut.
    const named = crowded.embeds[0]!.description!.split('\n').filter((line) => line.startsWith('• '));
    expect(named.length).toBeGreaterThanOrEqual(1);
    expect(named.length).toBeLessThan(3);
    const buttons = crowded.components.flatMap((row) => row.components).filter((c) => 'custom_id' in c && c.custom_id.startsWith('ask:p:'));
    expect(buttons).toHaveLength(named.length);
    expect(crowded.embeds[0]!.description).toMatch(/Try other words, or browse the documents with `\/source`\.$/);
  });

  it('leaves feedback buttons out when the question could not be logged', () => {
    const parts = formatAnswer(answer([hit()]), { questionId: null });
    expect(JSON.stringify(parts.components)).not.toContain('ask:fb');
  });

  it('keeps ten hits over 10,000-character passages within every limit, pointing to /source', () => {
    const long = 'word '.repeat(2000) + 'the important sentence is here. ' + 'tail '.repeat(2000);
    const hits = Array.from({ length: 10 }, (_, i) => hit({ ref: `big/doc:${i + 1}`, passage: long, quote: 'the important sentence is here.' }));
    const parts = formatAnswer(answer(hits), { questionId: 1 });
    checkLimits(parts);
    for (const field of parts.embeds[0]!.fields!) {
      expect(strongPart(field.value)).toBe('the important sentence is here.');
      expect(field.value).toMatch(/… full passage: `\/source ref:big\/doc:\d+`/);
    }
    expect(parts.components).toHaveLength(3);
  });

  it('cuts a quote longer than the room at a word boundary, with an ellipsis', () => {
    const quote = Array.from({ length: 1500 }, (_, i) => `w${i}`).join(' ');
    const parts = formatAnswer(answer([hit({ passage: quote, quote })]), { questionId: 1 });
    checkLimits(parts);
    const value = parts.embeds[0]!.fields![0]!.value;
    const shown = strongPart(value);
    expect(quote.startsWith(shown)).toBe(true);
    expect(quote[shown.length]).toBe(' ');
    expect(value).toContain('…');
    expect(value).toContain('full passage: `/source ref:runbooks/deploys:2`');
  });

  it('escapes hostile documents and questions', () => {
    const parts = formatAnswer(answer([hit({ passage: HOSTILE, quote: HOSTILE, title: HOSTILE, url: 'javascript:alert(1)' })], `${HOSTILE}?`), { questionId: 1 });
    checkLimits(parts);
    const text = JSON.stringify(parts.embeds);
    expect(text).not.toMatch(/@everyone|@here|<@[!&]?\d|\]\(javascript/);
    expect(readQuote(parts.embeds[0]!.fields![0]!.value)).toBe(HOSTILE);
  });

  it('puts a long question in full in the description when the title has to be cut', () => {
    const question = `${'why '.repeat(240)}?`;
    const parts = formatAnswer(answer([hit()], question), { questionId: 1 });
    checkLimits(parts);
    expect(parts.embeds[0]!.title!.endsWith(ELLIPSIS)).toBe(true);
    expect(parts.embeds[0]!.description).toContain(question.trim().slice(0, 900));
  });

  it('renders multi-line passages as a blockquote line by line', () => {
    const out = renderQuote('Intro line\n- item one\n- item two', '- item one', 500);
    expect(out.cut).toBe(false);
    expect(out.text).toBe('> Intro line\n> **\\- item one**\n> \\- item two');
  });

  it('trims context on both sides around the quote', () => {
    const passage = `${'before '.repeat(100)}THE QUOTE.${' after'.repeat(100)}`;
    const out = renderQuote(passage, 'THE QUOTE.', 200);
    expect(out.cut).toBe(true);
    expect(out.text.length).toBeLessThanOrEqual(200);
    expect(out.text).toMatch(/^> …before .*\*\*THE QUOTE\.\*\* after.*…$/);
  });
});

describe('formatSourceView and formatDocumentList', () => {
  const view = (passage: string): SourceView => ({
    ref: 'hostile:3',
    passage,
    previous: { ref: 'hostile:2', text: `prev ${'p '.repeat(600)}end of previous.` },
    next: { ref: 'hostile:4', text: `Start of next. ${'n '.repeat(600)}` },
    citation: hit({ ref: 'hostile:3', url: 'javascript:alert(1)' }).citation,
    document: { id: 'hostile', title: HOSTILE, source: HOSTILE, date: '2024-06-01', url: 'javascript:alert(1)', path: 'hostile.md', passages: 5, firstRef: 'hostile:1' },
  });

  it('shows a 10,000-character passage cut to fit, with neighbours, metadata and where the rest is', () => {
    const parts = formatSourceView(view(`${'@everyone <@1234> **x** '.repeat(420)}`));
    checkLimits(parts);
    const embed = parts.embeds[0]!;
    expect(embed.url).toBeUndefined();
    expect(embed.description).toContain('the passage continues in `hostile.md`');
    expect(embed.fields!.map((f) => f.name)).toEqual(['Before · hostile:2', 'After · hostile:4', 'Document']);
    expect(embed.fields![0]!.value).toMatch(/end of previous\.$/);
    expect(embed.fields![1]!.value).toMatch(/^> Start of next\./);
    expect(JSON.stringify(parts.embeds)).not.toMatch(/@everyone|<@\d/);
    const ids = parts.components.flatMap((row) => row.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    expect(ids).toEqual(['source:v:prev:hostile:2', 'source:v:next:hostile:4']);
  });

  it('quotes a short passage whole', () => {
    const parts = formatSourceView({ ...view('A short passage.'), previous: null, next: null });
    expect(readQuote(parts.embeds[0]!.description!)).toBe('A short passage.');
    expect(parts.components).toHaveLength(0);
  });

  it('pages the document list', () => {
    const docs: DocumentSummary[] = Array.from({ length: 23 }, (_, i) => ({
      id: `doc${i}`,
      title: `Doc ${i}`,
      source: null,
      date: null,
      url: null,
      path: `doc${i}.md`,
      passages: 2,
      firstRef: `doc${i}:1`,
    }));
    const first = formatDocumentList(docs, 0);
    expect(first.embeds[0]!.footer!.text).toContain('Page 1 of 3');
    const buttons = first.components[0]!.components as Array<{ custom_id: string; disabled?: boolean }>;
    expect(buttons.map((b) => [b.custom_id, b.disabled])).toEqual([
      ['source:l:prev:0', true],
      ['source:l:next:1', false],
    ]);
    const last = formatDocumentList(docs, 9);
    expect(last.embeds[0]!.footer!.text).toContain('Page 3 of 3');
    expect(last.embeds[0]!.description).toContain('Doc 22');
    expect(formatDocumentList([], 0).embeds[0]!.description).toContain('No documents');
  });
});

describe('status', () => {
  it('formats durations and the status embed', () => {
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(3 * 3600_000 + 12 * 60_000)).toBe('3 h 12 min');
    expect(formatDuration(2 * 86_400_000 + 4 * 3600_000)).toBe('2 d 4 h');
    const parts = formatStatus(
      { documents: 3, passages: 12, embedder: 'bundled-use-lite', dims: 512, indexedAt: new Date('2024-01-01T00:00:00Z') },
      { uptimeMs: 65_000, pingMs: 12, guilds: 1, reindexing: false, now: new Date('2024-01-01T03:00:00Z') },
    );
    const values = Object.fromEntries(parts.embeds[0]!.fields!.map((f) => [f.name, f.value]));
    expect(values).toMatchObject({ Documents: '3', Passages: '12', Uptime: '1 min', 'Gateway ping': '12 ms' });
    expect(values['Index built']).toContain('3 h ago');
  });
});

describe('custom ids', () => {
  it('round-trips refs, and aliases refs too long for 100 characters', () => {
    expect(parseAskId(askPassageId(2, 'a/b:3'))).toEqual({ action: 'passage', ref: 'a/b:3' });
    expect(parseAskId(askFeedbackId(12, 'down'))).toEqual({ action: 'feedback', questionId: 12, vote: 'down' });
    const long = `${'deep/'.repeat(30)}doc:4`;
    const id = askPassageId(0, long);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseAskId(id)).toEqual({ action: 'passage', ref: long });
    expect(parseSourceId(sourceViewId('x:1', 'next'))).toEqual({ action: 'view', ref: 'x:1' });
    expect(parseSourceId(sourceListId(3, 'next'))).toEqual({ action: 'list', page: 3 });
    expect(parseAskId('ask:p:0:~zzzz')).toEqual({ action: 'passage', ref: null });
    expect(parseAskId('ask:fb:x:up')).toBeNull();
  });
});

describe('rate limit', () => {
  it('allows COUNT per window per user and says when to retry', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(2, 30_000, () => now);
    expect(limiter.take('a').ok).toBe(true);
    now += 1000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('b').ok).toBe(true);
    const refused = limiter.take('a');
    expect(refused).toEqual({ ok: false, retryAfterMs: 29_000 });
    now += 29_000;
    expect(limiter.take('a').ok).toBe(true);
    const text = rateLimitMessage(12_300, limiter, 0);
    expect(text).toContain('Try again in 13 s (<t:13:R>)');
    expect(text).toContain('2 questions per 30 s');
  });
});

describe('mentions, config, registry, loader, question log', () => {
  it('takes the question out of a mention', () => {
    expect(questionFromMention('<@42> how do I deploy?', '42')).toBe('how do I deploy?');
    expect(questionFromMention('hey <@!42>   what is  the VPN?', '42')).toBe('hey what is the VPN?');
    expect(questionFromMention('<@42>', '42')).toBe('');
    expect(questionFromMention('@everyone hi', '42')).toBeNull();
    expect(questionFromMention('<@43> hi', '42')).toBeNull();
  });

  it('reads the Discord settings from the environment', () => {
    expect(loadBotConfig({})).toMatchObject({ apiUrl: null, guildId: null, rateLimit: { count: 5, windowMs: 30_000 } });
    expect(loadBotConfig({ DISCORD_API_URL: 'http://127.0.0.1:9/api/', RATE_LIMIT_COUNT: '2', RATE_LIMIT_WINDOW_SECONDS: '10' })).toMatchObject({
      apiUrl: 'http://127.0.0.1:9/api',
      rateLimit: { count: 2, windowMs: 10_000 },
    });
    expect(() => loadBotConfig({ RATE_LIMIT_COUNT: '0' })).toThrow(/RATE_LIMIT_COUNT/);
    expect(() => loadBotConfig({ DISCORD_GUILD_ID: 'abc' })).toThrow(/DISCORD_GUILD_ID/);
  });

  it('compares local commands with what Discord returns, ignoring the defaults it fills in', () => {
    const local = [{ name: 'ask', description: 'Ask', type: 1, options: [{ type: 3, name: 'question', description: 'Q', required: true, max_length: 1000 }] }];
    const remote = [
      {
        id: '1',
        application_id: '2',
        version: '3',
        name: 'ask',
        description: 'Ask',
        type: 1,
        nsfw: false,
        default_member_permissions: null,
        integration_types: [0],
        contexts: null,
        options: [{ type: 3, name: 'question', description: 'Q', required: true, max_length: 1000 }],
      },
    ];
    expect(sameCommands(local, remote)).toBe(true);
    expect(sameCommands(local, [{ ...remote[0]!, options: [{ ...remote[0]!.options[0]!, max_length: 500 }] }])).toBe(false);
    expect(sameCommands(local, [])).toBe(false);
    expect(sameCommands([{ ...local[0]!, default_member_permissions: '8' }], remote)).toBe(false);
  });

  it('accepts named exports or a default export as a command', () => {
    const command = { data: { name: 'x', toJSON: () => ({}) }, execute: async () => undefined };
    expect(commandFromModule(command)).toBe(command);
    expect(commandFromModule({ default: command })).toBe(command);
    expect(commandFromModule({ data: { name: 'x' } })).toBeNull();
  });

  it('keeps one vote per user and question in memory', async () => {
    const log = new MemoryQuestionLog();
    const id = await log.logQuestion({ guildId: null, channelId: null, userId: 'u', question: 'q', answered: true, refs: [], scores: [], latencyMs: 1, askedAt: new Date() });
    expect(id).toBe(1);
    await log.recordFeedback(1, 'u', 'up');
    await log.recordFeedback(1, 'u', 'down');
    expect(log.feedback.map((f) => f.vote)).toEqual(['down']);
  });
});
