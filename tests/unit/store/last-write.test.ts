import { describe, expect, it } from 'vitest';
import { AuthwatchError } from '@/lib/errors';
import { LastWrite, READY_REUSE_MS } from '@/lib/store/last-write';

const full = new AuthwatchError('ERR_STORE_FULL', 'the database has no space left', { retryAfterSeconds: 60 });

function setup(probeOutcome: () => Promise<void>) {
  const clock = { now: 1_000_000 };
  let probes = 0;
  const lastWrite = new LastWrite(() => {
    probes += 1;
    return probeOutcome();
  }, () => clock.now);
  return { clock, lastWrite, probes: () => probes };
}

describe('LastWrite', () => {
  it('answers a flood of readiness checks with one probe per interval', async () => {
    const { clock, lastWrite, probes } = setup(() => Promise.resolve());
    await Promise.all(Array.from({ length: 500 }, () => lastWrite.ready()));
    expect(probes()).toBe(1);
    clock.now += READY_REUSE_MS - 1;
    await lastWrite.ready();
    expect(probes()).toBe(1);
    clock.now += 1;
    await lastWrite.ready();
    expect(probes()).toBe(2);
  });

  it('reports the failure of the last write without probing, and a success after it once a probe succeeds', async () => {
    let outcome: () => Promise<void> = () => Promise.reject(full);
    const { clock, lastWrite, probes } = setup(() => outcome());
    await expect(lastWrite.track(Promise.reject(full))).rejects.toBe(full);
    await expect(lastWrite.ready()).rejects.toMatchObject({ code: 'ERR_STORE_FULL' });
    expect(probes()).toBe(0);

    clock.now += READY_REUSE_MS;
    await expect(lastWrite.ready()).rejects.toMatchObject({ code: 'ERR_STORE_FULL' });
    expect(probes()).toBe(1);

    outcome = () => Promise.resolve();
    clock.now += READY_REUSE_MS;
    await expect(lastWrite.ready()).resolves.toBeUndefined();
  });

  it('follows the writes it tracks: a commit that succeeds makes the store ready again at once', async () => {
    const { lastWrite, probes } = setup(() => Promise.reject(full));
    await expect(lastWrite.track(Promise.reject(full))).rejects.toBe(full);
    await expect(lastWrite.ready()).rejects.toBe(full);
    await expect(lastWrite.track(Promise.resolve([1]))).resolves.toEqual([1]);
    await expect(lastWrite.ready()).resolves.toBeUndefined();
    expect(probes()).toBe(0);
  });
});
