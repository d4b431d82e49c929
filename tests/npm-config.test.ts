import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

it('npm reads the project configuration without a warning', () => {
  // Without the settings of the npm process that may be running this test (`npm test` exports them).
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  const result = spawnSync('npm', ['config', 'list'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/warn/i);
});

it("keeps onnxruntime-node's install script, which only downloads CUDA libraries, from running", () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
  expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
});
