import { describe, expect, it } from 'vitest';
import { onceEvery } from '@/lib/once-every';

describe('onceEvery', () => {
  it('runs the work once for a flood of callers, shares the run in progress, and again once the interval has passed', async () => {
    let now = 0;
    let runs = 0;
    let finish: () => void = () => {};
    const task = onceEvery(1_000, () => {
      runs += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    }, () => now);
    const waiting = Array.from({ length: 100 }, () => task());
    expect(runs).toBe(1);
    finish();
    await Promise.all(waiting);
    now = 999;
    await task();
    expect(runs).toBe(1);
    now = 1_000;
    const next = task();
    finish();
    await next;
    expect(runs).toBe(2);
  });
});
