import { afterEach, describe, expect, it, vi } from 'vitest';
import { startProgress } from '../src/index/progress.js';

// Progress as a log shows it (no terminal): a line every ten seconds, with the time left at the rate so far.
describe('embedding progress without a terminal', () => {
  afterEach(() => vi.useRealTimers());

  it('logs done, total, share and time left every ten seconds, and nothing at the end', () => {
    vi.useFakeTimers({ now: 0 });
    const lines: string[] = [];
    const progress = startProgress(30_000, { bar: false, log: (line) => lines.push(line) });
    vi.setSystemTime(5_000);
    progress.update(1_000);
    expect(lines).toEqual([]);
    vi.setSystemTime(12_000);
    progress.update(3_000); // 3,000 in 12 s: 27,000 more take 108 s
    vi.setSystemTime(24_000);
    progress.update(6_000); // 6,000 in 24 s: 24,000 more take 96 s
    vi.setSystemTime(40_000);
    progress.update(29_000); // 29,000 in 40 s: 1,000 more take about 1 s
    vi.setSystemTime(60_000);
    progress.update(30_000);
    expect(lines).toEqual(['embedded 3000/30000 passages (10%), about 2 min left', 'embedded 6000/30000 passages (20%), about 2 min left', 'embedded 29000/30000 passages (96%), about 1 s left']);
  });
});
