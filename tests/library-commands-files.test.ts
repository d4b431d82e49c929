import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import matter from 'gray-matter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/bot/bot-config.js';
import { parseMarkdown } from '../src/corpus/markdown.js';
import { buildDigest } from '../src/digest/build.js';
import { renderDiscord } from '../src/digest/render-discord.js';
import { librarySources } from '../src/digest/sources.js';
import { keptFilesFor, libraryFiles, removeLibraryFile, saveUpload, uploadName, writeKept } from '../src/kept/docs-folder.js';
import { DownloadError, downloadAttachment } from '../src/kept/download.js';
import { closeFences, renderConversation, renderMentions, slug, type KeptConversation, type MentionNames } from '../src/kept/render.js';
import { HashEmbedder } from './helpers/hash-embedder.js';
import { seedLibrary } from './helpers/seed-library.js';
import { tempSqliteRecords } from './helpers/store.js';

/** Turning Discord messages into documents, and the docs-folder side of /library: the parts without Discord. */

const ZWSP = '\u200b';
const NAMES: MentionNames = {
  user: (id) => ({ '111111111111111111': 'Alice', '222222222222222222': 'everyone' })[id],
  role: (id) => ({ '333333333333333333': 'On-call' })[id],
  channel: (id) => ({ '444444444444444444': 'deploys' })[id],
};

function conversation(messages: Array<{ author: string; content: string; attachments?: string[] }>, thread: string | null = null): KeptConversation {
  return {
    key: '555555555555555555',
    place: thread ?? 'Général Chat',
    channel: 'Général Chat',
    thread,
    url: 'https://discord.com/channels/1/2/555555555555555555',
    messages: messages.map((m, i) => ({ id: String(900000000000000000n + BigInt(i)), author: m.author, at: new Date(Date.UTC(2026, 11, 3, 9, i)), content: m.content, attachments: m.attachments ?? [] })),
  };
}

const temp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-kept-'));
  temp.push(dir);
  return dir;
};
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('kept messages as Markdown', () => {
  it('writes mentions as names and leaves nothing that could ping', () => {
    const text = renderMentions(
      'Hi <@111111111111111111> and <@!222222222222222222>, ask <@&333333333333333333> in <#444444444444444444> (or <@999999999999999999>), @everyone @here. Run </deploy:123456789012345678> <:shipit:123456789012345678> at <t:1764752400:R>.',
      NAMES,
    );
    expect(text).toBe(
      `Hi @Alice and @${ZWSP}everyone, ask @On-call in #deploys (or @unknown-user), @${ZWSP}everyone @${ZWSP}here. Run /deploy :shipit: at 2025-12-03 09:00 UTC.`,
    );
    expect(text).not.toMatch(/<[@#]|@everyone|@here/);
  });

  it('keeps a thread in order, with front matter the loader reads and author lines it leaves out', () => {
    const doc = renderConversation(
      conversation(
        [
          { author: 'Sam', content: 'Which VPN gateway should the Singapore office use?' },
          { author: 'Priya --> <@111111111111111111>', content: 'Use sg-edge-2; ping <@111111111111111111>.', attachments: ['map.png'] },
        ],
        'Singapore VPN gateway',
      ),
      NAMES,
    );
    expect(doc.path).toBe('discord/singapore-vpn-gateway-555555555555555555.md');
    const { data, content } = matter(doc.markdown);
    expect(data).toEqual({
      title: 'Singapore VPN gateway',
      authors: ['Sam', 'Priya --> <\u200b@111111111111111111>'],
      channel: '#Général Chat',
      thread: 'Singapore VPN gateway',
      date: '2026-12-03',
      url: 'https://discord.com/channels/1/2/555555555555555555',
      source: 'Discord #Général Chat',
      messages: 2,
    });
    expect(content).toContain('<!-- Priya - <\u200b@111111111111111111>, 2026-12-03 09:01 UTC, message 900000000000000001; attachments: map.png -->');
    const parsed = parseMarkdown(doc.markdown);
    expect(parsed).toMatchObject({ title: 'Singapore VPN gateway', url: 'https://discord.com/channels/1/2/555555555555555555', source: 'Discord #Général Chat', date: '2026-12-03' });
    expect(parsed.text.trim()).toBe('Which VPN gateway should the Singapore office use?\n\nUse sg-edge-2; ping @Alice.');
  });

  it('closes a code fence a message left open, so the next message stays text', () => {
    expect(closeFences('run:\n```sh\nmake deploy')).toBe('run:\n```sh\nmake deploy\n```');
    expect(closeFences('```\na\n```\nafter')).toBe('```\na\n```\nafter');
    expect(closeFences('~~~~\n```\nstill code')).toBe('~~~~\n```\nstill code\n~~~~');
    const doc = renderConversation(
      conversation([
        { author: 'Sam', content: 'Run this:\n```sh\nmake deploy' },
        { author: 'Priya', content: 'That worked, the deploy finished.' },
      ]),
      NAMES,
    );
    expect(parseMarkdown(doc.markdown).text).not.toContain('Priya');
  });

  it('titles a single message by its first line, without Markdown, cut at a word', () => {
    const short = renderConversation(conversation([{ author: 'Sam', content: '\n## **Deploy freeze** starts Friday\nDetails follow.' }]), NAMES);
    expect(short.title).toBe('Deploy freeze starts Friday');
    expect(short.path).toBe('discord/general-chat-555555555555555555.md');
    const long = renderConversation(conversation([{ author: 'Sam', content: 'word '.repeat(40) }]), NAMES);
    expect(long.title).toMatch(/^(word ){10,}word…$/);
    expect(long.title.length).toBeLessThanOrEqual(91);
    expect(slug('   ')).toBe('channel');
    expect(slug('../../etc')).toBe('etc');
  });
});

describe('the docs folder side', () => {
  it('replaces a kept document in one step and finds it by message id', async () => {
    const docs = tempDir();
    expect(await writeKept(docs, 'discord/general-1234.md', 'one')).toBe('added');
    expect(await writeKept(docs, 'discord/general-1234.md', 'two')).toBe('updated');
    expect(readFileSync(path.join(docs, 'discord/general-1234.md'), 'utf8')).toBe('two');
    expect(readdirSync(path.join(docs, 'discord'))).toEqual(['general-1234.md']);
    expect(await keptFilesFor(docs, '1234')).toEqual(['discord/general-1234.md']);
    expect(await keptFilesFor(docs, '234')).toEqual([]);
  });

  it('sanitises upload names: no path, no leading dot, only safe characters; refuses types it cannot read', () => {
    expect(uploadName('../../etc/passwd.md')).toEqual({ stem: 'passwd', ext: '.md' });
    expect(uploadName('..\\..\\Windows\\evil.TXT')).toEqual({ stem: 'evil', ext: '.txt' });
    expect(uploadName('.env.md')).toEqual({ stem: 'env', ext: '.md' });
    expect(uploadName('Q3 plan (final) <v2>.docx')).toEqual({ stem: 'Q3-plan-final-v2', ext: '.docx' });
    expect(uploadName('.md')).toHaveProperty('refused');
    expect(uploadName('%%%.md')).toEqual({ stem: 'upload', ext: '.md' });
    expect(uploadName('Übersicht.pdf')).toEqual({ stem: 'Übersicht', ext: '.pdf' });
    expect(uploadName('run.sh')).toEqual({ refused: '"run.sh" is a ".sh" file; the library reads PDF, Word (.docx), Markdown (.md), text (.txt) and HTML (.html).' });
    expect(uploadName('README')).toEqual({ refused: '"README" is a file without an extension; the library reads PDF, Word (.docx), Markdown (.md), text (.txt) and HTML (.html).' });
  });

  it('never overwrites an upload: the same bytes are a duplicate, other bytes (or another file of the same id) get a new name', async () => {
    const docs = tempDir();
    const name = { stem: 'policy', ext: '.md' };
    expect(await saveUpload(docs, name, Buffer.from('A'))).toEqual({ rel: 'uploads/policy.md', duplicate: false });
    expect(await saveUpload(docs, name, Buffer.from('A'))).toEqual({ rel: 'uploads/policy.md', duplicate: true });
    expect(await saveUpload(docs, name, Buffer.from('B'))).toEqual({ rel: 'uploads/policy-2.md', duplicate: false });
    expect(await saveUpload(docs, { stem: 'policy', ext: '.txt' }, Buffer.from('C'))).toEqual({ rel: 'uploads/policy-3.txt', duplicate: false });
    const raced = await Promise.all(['D', 'E', 'F'].map((b) => saveUpload(docs, name, Buffer.from(b))));
    expect(new Set(raced.map((r) => r.rel)).size).toBe(3);
    expect(readFileSync(path.join(docs, 'uploads/policy.md'), 'utf8')).toBe('A');
    expect(readdirSync(path.join(docs, 'uploads')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('removes only files added from Discord', async () => {
    const docs = tempDir();
    writeFileSync(path.join(docs, 'handbook.md'), 'keep me');
    await saveUpload(docs, { stem: 'a', ext: '.md' }, Buffer.from('a'));
    await writeKept(docs, 'discord/general-1.md', 'k');
    expect((await libraryFiles(docs)).map((f) => f.rel)).toEqual(['uploads/a.md', 'discord/general-1.md']);
    for (const rel of ['handbook.md', '../handbook.md', 'uploads/../handbook.md', 'uploads', '/etc/passwd']) expect(await removeLibraryFile(docs, rel)).toBe(false);
    expect(readFileSync(path.join(docs, 'handbook.md'), 'utf8')).toBe('keep me');
    expect(await removeLibraryFile(docs, 'uploads/a.md')).toBe(true);
    expect((await libraryFiles(docs)).map((f) => f.rel)).toEqual(['discord/general-1.md']);
  });
});

describe('downloading an attachment', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/chunked') {
        // No Content-Length: the limit has to hold while reading.
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 20; i++) res.write('x'.repeat(100));
        res.end();
      } else if (req.url === '/small') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
        res.end('hello');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('returns the bytes, and refuses what is (or turns out) larger than the limit, and failed downloads', async () => {
    expect((await downloadAttachment(`${base}/small`, 5)).toString()).toBe('hello');
    await expect(downloadAttachment(`${base}/small`, 4)).rejects.toThrow('The file is 0.00 MB; the limit is 0.00 MB.');
    await expect(downloadAttachment(`${base}/chunked`, 1000)).rejects.toThrow(DownloadError);
    await expect(downloadAttachment(`${base}/small`, 100, 101)).rejects.toThrow(DownloadError);
    await expect(downloadAttachment(`${base}/missing`, 100)).rejects.toThrow('The file could not be downloaded from Discord (HTTP 404).');
  });
});

describe('settings', () => {
  it('reads LIBRARY_ROLE_ID and LIBRARY_MAX_UPLOAD_MB, refusing bad values', () => {
    expect(loadBotConfig({}).library).toEqual({ roleId: null, maxUploadBytes: 10 * 1024 * 1024 });
    expect(loadBotConfig({ LIBRARY_ROLE_ID: '123456789012345678', LIBRARY_MAX_UPLOAD_MB: '2' }).library).toEqual({ roleId: '123456789012345678', maxUploadBytes: 2 * 1024 * 1024 });
    expect(() => loadBotConfig({ LIBRARY_ROLE_ID: 'Librarians' })).toThrow('LIBRARY_ROLE_ID must be a role id');
    expect(() => loadBotConfig({ LIBRARY_MAX_UPLOAD_MB: '0' })).toThrow('LIBRARY_MAX_UPLOAD_MB must be a whole number');
  });
});

describe('the digest', () => {
  it('lists a kept message under "new in the library" like any document', async () => {
    const docs = tempDir();
    cpSync(path.join(import.meta.dirname, 'fixtures/bot-docs/deploys.md'), path.join(docs, 'deploys.md'));
    const doc = renderConversation(conversation([{ author: 'Sam', content: 'The deploy freeze for the holidays starts on December 20. Hotfixes still go out with two approvals.' }]), NAMES);
    await writeKept(docs, doc.path, doc.markdown);
    const library = await seedLibrary(new HashEmbedder({ dims: 256 }), docs);
    const t = tempSqliteRecords();
    try {
      const now = new Date();
      const digest = await buildDigest(
        { since: new Date(now.getTime() - 3600_000), until: new Date(now.getTime() + 3600_000), timezone: 'UTC' },
        { records: t.records, sources: librarySources(() => library) },
      );
      const kept = digest.library.find((d) => d.id === doc.path.replace(/\.md$/, ''));
      expect(kept).toMatchObject({ title: 'The deploy freeze for the holidays starts on December 20.', change: 'new', source: 'Discord #Général Chat', url: 'https://discord.com/channels/1/2/555555555555555555' });
      expect(kept!.points.map((p) => p.text).join(' ')).toContain('The deploy freeze for the holidays starts on December 20.');
      expect(renderDiscord(digest).embeds[0]!.description).toContain('**[The deploy freeze for the holidays starts on December 20.](https://discord.com/channels/1/2/555555555555555555)** · Discord #Général Chat · 2026-12-03 · new');
    } finally {
      t.cleanup();
      library.cleanup();
    }
  });
});
