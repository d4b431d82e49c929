import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

it('npm reads the project configuration without a warning', () => {
  // Without the settings of the npm process that may be running this test (`npm test` exports them).
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  // Nor the machine's user and global files: a key npm 11 does not know there (a `nodedir` set for
  // node-gyp) is the machine's, not the project's.
  const dir = mkdtempSync(path.join(tmpdir(), 'archivist-npmrc-'));
  const [user, global] = [path.join(dir, 'user'), path.join(dir, 'global')];
  for (const file of [user, global]) writeFileSync(file, '');
  const result = spawnSync('npm', ['config', 'list', '--userconfig', user, '--globalconfig', global], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  rmSync(dir, { recursive: true, force: true });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/warn/i);
});

it("keeps onnxruntime-node's install script, which only downloads CUDA libraries, from running, and rules on every other", () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
  expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
  // npm ci warns about each package with an install script that allowScripts does not name.
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages).flatMap(([where, entry]) => (entry.hasInstallScript ? [where.replace(/^.*node_modules\//, '')] : []));
  expect(withScripts.length).toBeGreaterThan(0);
  for (const name of withScripts) expect(Object.keys(pkg.allowScripts ?? {}), name).toContain(name);
});
