import { createInterface } from 'node:readline';
import type { Config } from './config.js';
import { renderAnswer, renderDocumentList, renderSource } from './format/terminal.js';
import { openLibrary } from './library.js';
import type { Logger } from './log.js';
import { validateQuestion } from './search/validate-question.js';

const HELP = `Type a question and press Enter.
  /source REF   show a cited passage with its neighbours (REF as printed under an answer)
  /source       list the indexed documents
  /help         this text
  /quit         leave (or Ctrl-D)`;

/** `npm start` without DISCORD_TOKEN: the same library, asked from the terminal. */
export async function runConsole({ config, log }: { config: Config; log: Logger }): Promise<void> {
  const library = await openLibrary({ config, log, follow: true });
  const status = library.status();
  const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  out(
    `archivist console — ${status.documents} documents, ${status.passages} passages (${status.embedder}).\n` +
      'Discord is not connected: set DISCORD_TOKEN in .env (see README, "Connect Discord") and run npm start again.\n' +
      HELP,
  );
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'ask> ', terminal: process.stdin.isTTY });
  // Set by /quit: lines pasted after it are already queued, and are dropped. At the end of the input
  // (Ctrl-D, a pipe) the lines before it are still answered.
  let quit = false;
  let closed = false;
  const handle = async (line: string) => {
    const input = line.trim();
    if (quit || input === '') return;
    if (input === '/quit' || input === '/exit') {
      quit = true;
      return rl.close();
    }
    if (input === '/help') return out(HELP);
    if (input === '/source' || input.startsWith('/source ')) {
      const ref = input.slice('/source'.length).trim();
      if (!ref) return out(renderDocumentList(library.documents()));
      const view = library.source(ref);
      return out(view ? renderSource(view) : `Unknown ref "${ref}". Type /source to list documents.`);
    }
    if (input.startsWith('/')) return out(`Unknown command ${input.split(' ')[0]}. ${HELP}`);
    const checked = validateQuestion(input);
    if (!checked.ok) return out(checked.error);
    out(renderAnswer(await library.ask(checked.question)));
  };
  rl.prompt();
  // Lines are answered one at a time, in order, even when pasted in a batch.
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue
      .then(() => handle(line))
      .catch((error: unknown) => out(`Something went wrong: ${(error as Error).message}`))
      .then(() => {
        if (!closed) rl.prompt();
      });
  });
  await new Promise<void>((resolve) =>
    rl.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  // readline only pauses its input on close, and a paused stdin still holds the process open.
  process.stdin.destroy();
  await queue;
  await library.close();
}
