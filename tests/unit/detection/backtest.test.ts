import { describe, expect, it } from 'vitest';
import { backtestRule } from '@/lib/detection/backtest';
import type { DetectionEvent } from '@/lib/detection/detection-event';
import { bruteForceIp } from '@/lib/detection/rules/brute-force-ip';
import { HOUR, SECOND, T0, eventSequence } from '../../helpers/detection';

/** Failures from each IP, `count` of them 10 s apart from `start`, received 1 s after they happened, in time order. */
function* failures(attacks: readonly { ip: string; count: number; start: number }[]): Generator<DetectionEvent> {
  const next = eventSequence();
  const parts = attacks.flatMap(({ ip, count, start }) => Array.from({ length: count }, (_, i) => ({ ip, time: start + i * 10 * SECOND })));
  for (const part of parts.sort((a, b) => a.time - b.time)) yield next({ ...part, receivedAt: part.time + SECOND });
}

const current = bruteForceIp.params.parse({});
const summary = (result: ReturnType<typeof backtestRule>) => result.alerts.map((alert) => [alert.key.ip, alert.count, alert.status]);

describe('backtestRule', () => {
  const attacks = [
    { ip: '203.0.113.7', count: 12, start: T0 },
    { ip: '198.51.100.4', count: 8, start: T0 + 30 * SECOND },
  ];

  it('returns the alerts the current parameters raise, with their keys and counts', () => {
    const result = backtestRule(bruteForceIp, current, failures(attacks));
    expect(result.events).toBe(20);
    expect(summary(result)).toEqual([['203.0.113.7', 12, 'open']]);
  });

  it('shows what a proposed lower threshold would add', () => {
    const proposed = bruteForceIp.params.parse({ threshold: 8 });
    expect(summary(backtestRule(bruteForceIp, proposed, failures(attacks)))).toEqual([
      ['203.0.113.7', 12, 'open'],
      ['198.51.100.4', 8, 'open'],
    ]);
  });

  it('resolves quiet alerts between attacks and opens one per recurrence, as the engine would', () => {
    const twice = [
      { ip: '203.0.113.7', count: 10, start: T0 },
      { ip: '203.0.113.7', count: 10, start: T0 + 3 * HOUR },
    ];
    expect(summary(backtestRule(bruteForceIp, current, failures(twice)))).toEqual([
      ['203.0.113.7', 10, 'resolved'],
      ['203.0.113.7', 10, 'open'],
    ]);
    const patient = bruteForceIp.params.parse({ quiet_period_seconds: 4 * 3600 });
    expect(summary(backtestRule(bruteForceIp, patient, failures(twice)))).toEqual([['203.0.113.7', 20, 'open']]);
  });

  it('runs a disabled rule too, so it can be tried before it is switched on', () => {
    const disabled = bruteForceIp.params.parse({ enabled: false });
    expect(backtestRule(bruteForceIp, disabled, failures(attacks)).alerts).toHaveLength(1);
  });
});
