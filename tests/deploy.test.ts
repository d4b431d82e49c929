import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// No container engine or systemd runs here, so the deployment files are checked by reading them:
// the syntax a builder would reject, and paths and settings that would fail only at run time.
const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Settings the program reads (those .env.example documents, and two only a deployment sets), and onnxruntime-node's install switch. */
const knownSettings = new Set([
  ...[...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!),
  'ARCHIVIST_ENV_FILE',
  'NODE_ENV',
  'ONNXRUNTIME_NODE_INSTALL',
]);

/** The source file tsc compiles to a path under dist/ (outDir dist, rootDir the repository). */
const sourceOf = (compiled: string) => compiled.replace(/^.*?dist\//, '').replace(/\.js$/, '.ts');

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

const KEYWORDS = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

/** Containerfile instructions, continuation lines joined and comments dropped, as a builder reads them. */
function parseContainerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') start = i + 1;
    if (line.startsWith('#')) return;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      return;
    }
    const whole = (pending + line).trim();
    pending = '';
    const [keyword = '', ...rest] = whole.split(/\s+/);
    out.push({ keyword, args: rest.join(' '), line: start });
  });
  expect(pending, 'a continuation line ends the file').toBe('');
  return out;
}

/** A systemd unit: section -> key -> values (a key may repeat, as Environment= does). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    expect(pair, `not a key=value line: ${line}`).not.toBeNull();
    expect(current, `${line} before any [Section]`).toBeDefined();
    const [, key, value] = pair!;
    current!.set(key!, [...(current!.get(key!) ?? []), value!]);
  }
  return sections;
}

describe('deploy/Containerfile', () => {
  const instructions = parseContainerfile(read('deploy/Containerfile'));

  it('uses only instructions a builder knows, starting with FROM', () => {
    for (const { keyword, line } of instructions) expect(KEYWORDS.has(keyword), `line ${line}: ${keyword}`).toBe(true);
    expect(instructions[0]?.keyword).toBe('FROM');
  });

  it('copies only what the repository holds, or a stage before it built', () => {
    const stages = instructions.filter((i) => i.keyword === 'FROM').map((i) => / AS (\S+)$/i.exec(i.args)?.[1]).filter(Boolean);
    const copies = instructions.filter((i) => i.keyword === 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const { args, line } of copies) {
      const parts = args.split(/\s+/);
      const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
      const paths = parts.filter((p) => !p.startsWith('--'));
      expect(paths.length, `line ${line}: COPY needs a source and a destination`).toBeGreaterThanOrEqual(2);
      if (from) expect(stages, `line ${line}`).toContain(from);
      else for (const source of paths.slice(0, -1)) expect(existsSync(path.join(ROOT, source)), `line ${line}: ${source}`).toBe(true);
    }
  });

  it('runs the compiled entry point, in exec form, with settings the program reads', () => {
    const cmd = instructions.filter((i) => i.keyword === 'CMD').at(-1);
    const argv = JSON.parse(cmd!.args) as string[];
    expect(argv[0]).toBe('node');
    expect(existsSync(path.join(ROOT, sourceOf(argv[1]!)))).toBe(true);
    const envKeys = instructions.filter((i) => i.keyword === 'ENV').flatMap((i) => [...i.args.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!));
    expect(envKeys).toContain('INDEX_DIR');
    for (const key of envKeys) expect(knownSettings.has(key), key).toBe(true);
  });
});

describe('deploy/archivist.service', () => {
  const unit = parseUnit(read('deploy/archivist.service'));

  it('has the sections and keys systemd needs to start and enable it', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
    expect(unit.get('Service')?.get('KillSignal')).toEqual(['SIGTERM']);
  });

  it('starts the compiled entry point with settings the program reads', () => {
    const service = unit.get('Service')!;
    const [binary, script] = service.get('ExecStart')![0]!.split(/\s+/);
    expect(path.isAbsolute(binary!)).toBe(true);
    expect(existsSync(path.join(ROOT, sourceOf(script!)))).toBe(true);
    const names = service.get('Environment')!.map((assignment) => assignment.split('=')[0]!);
    for (const name of names) expect(knownSettings.has(name), name).toBe(true);
  });

  it('stops within a timeout that covers the shutdown grace and the gateway close', () => {
    const grace = Number(/^SHUTDOWN_GRACE_SECONDS=(\d+)/m.exec(read('.env.example'))![1]);
    expect(Number(unit.get('Service')!.get('TimeoutStopSec')![0])).toBeGreaterThan(grace + 5);
  });
});
