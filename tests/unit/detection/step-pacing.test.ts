import { describe, expect, it } from 'vitest';
import { DETECTION_SHARE, nextStepDelay } from '@/lib/detection/step-pacing';

describe('nextStepDelay', () => {
  it('waits the interval after a quick step with nothing left waiting', () => {
    expect(nextStepDelay({ stepMs: 4, behind: false, intervalMs: 250 })).toBe(250);
  });

  it('keeps a detection that is behind within its share of a core', () => {
    const stepMs = 900;
    const delay = nextStepDelay({ stepMs, behind: true, intervalMs: 250 });
    expect(stepMs / (stepMs + delay)).toBeCloseTo(DETECTION_SHARE, 3);
    expect(DETECTION_SHARE).toBeLessThanOrEqual(1 / 3);
  });

  it('goes on almost at once when behind after a quick step', () => {
    expect(nextStepDelay({ stepMs: 3, behind: true, intervalMs: 250 })).toBe(Math.ceil(3 * (1 / DETECTION_SHARE - 1)));
    expect(nextStepDelay({ stepMs: 3, behind: true, intervalMs: 250 })).toBeLessThan(20);
  });

  it('works off a backlog at full speed while ingest stores nothing, and keeps its share while it does', () => {
    expect(nextStepDelay({ stepMs: 900, behind: true, intervalMs: 250, ingestIdle: true })).toBe(0);
    expect(nextStepDelay({ stepMs: 900, behind: true, intervalMs: 250, ingestIdle: false })).toBe(900 * (1 / DETECTION_SHARE - 1));
    expect(nextStepDelay({ stepMs: 4, behind: false, intervalMs: 250, ingestIdle: true })).toBe(250);
  });
});
