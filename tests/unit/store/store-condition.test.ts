import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthwatchError } from '@/lib/errors';
import { StoreCondition } from '@/lib/store/store-condition';

const full = () => new AuthwatchError('ERR_STORE_FULL', 'the database has no space left', { retryAfterSeconds: 60 });

let lines: Array<{ level: string; msg: string; code?: string; failures?: number }>;
let write: typeof process.stdout.write;
beforeEach(() => {
  lines = [];
  write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => lines.push(JSON.parse(chunk)) > 0) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = write;
});

describe('StoreCondition', () => {
  it("names the checkpointer's failures apart, so a full disk is one 'store failing' line", () => {
    let now = 0;
    const condition = new StoreCondition(60_000, 5_000, () => now, 'checkpoint');
    condition.failed(full());
    now = 5_000;
    condition.succeeded();
    expect(lines.map((line) => line.msg)).toEqual(['checkpoint failing', 'checkpoint recovered']);
  });

  it('logs a failure repeated ten times a second once, reminds once a minute, and logs the recovery once', () => {
    let now = 0;
    const condition = new StoreCondition(60_000, 5_000, () => now);
    for (; now < 59_000; now += 100) condition.failed(full());
    expect(lines.map((line) => [line.level, line.msg, line.code])).toEqual([['error', 'store failing', 'ERR_STORE_FULL']]);

    for (; now < 121_000; now += 100) condition.failed(full());
    expect(lines.map((line) => line.msg)).toEqual(['store failing', 'store still failing', 'store still failing']);

    // A commit that gets through between failures (a nearly full disk) is no recovery yet.
    const lastFailure = now - 100;
    condition.succeeded();
    now = lastFailure + 4_999;
    condition.succeeded();
    expect(lines).toHaveLength(3);
    now = lastFailure + 5_000;
    condition.succeeded();
    condition.succeeded();
    expect(lines.slice(3).map((line) => [line.level, line.msg, line.code])).toEqual([['info', 'store recovered', 'ERR_STORE_FULL']]);
    expect(lines[3].failures).toBe(1210);
  });

  it('logs nothing while writes succeed, and logs a change of failure as a new state', () => {
    const condition = new StoreCondition(60_000, 5_000, () => 0);
    expect(condition.observe(() => 7)).toBe(7);
    expect(lines).toEqual([]);
    expect(() => condition.observe(() => { throw full(); })).toThrow(AuthwatchError);
    condition.failed(new AuthwatchError('ERR_STORE_UNAVAILABLE', 'the database file was deleted'));
    expect(lines.map((line) => line.code)).toEqual(['ERR_STORE_FULL', 'ERR_STORE_UNAVAILABLE']);
  });
});
