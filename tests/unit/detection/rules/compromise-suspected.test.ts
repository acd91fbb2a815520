import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '@/lib/detection/detection-event';
import { compromiseSuspected } from '@/lib/detection/rules/compromise-suspected';
import { HOUR, MINUTE, SECOND, T0, eventSequence, reportedSeqs, runRule } from '../../../helpers/detection';

const failure = (time: number, username = 'ops@example.com'): Partial<DetectionEvent> => ({ type: 'login.failure', reason: 'bad_credentials', username, time });
const success = (time: number, username = 'ops@example.com'): Partial<DetectionEvent> => ({ type: 'login.success', reason: null, username, time });

/** Builds events in the order given (that is their seq order), whatever their times. */
function sequence(...parts: Partial<DetectionEvent>[]): DetectionEvent[] {
  const next = eventSequence();
  return parts.map((part) => next(part));
}

const fiveFailuresFrom = (start: number) => Array.from({ length: 5 }, (_, i) => failure(start + i * SECOND));

describe('compromise_suspected', () => {
  it.each([
    ['5 failures then a success a minute later', [...fiveFailuresFrom(T0), success(T0 + MINUTE)], 6],
    ['12 failures then a success', [...Array.from({ length: 12 }, (_, i) => failure(T0 + i * SECOND)), success(T0 + MINUTE)], 13],
    ['the first failure exactly 10 min before the success', [failure(T0), ...fiveFailuresFrom(T0 + MINUTE).slice(1), success(T0 + 10 * MINUTE)], 6],
    ['a failure that arrives after the success it preceded', [...fiveFailuresFrom(T0).slice(1), success(T0 + MINUTE), failure(T0 - SECOND)], 6],
    ['a backfilled sequence six hours old', [...fiveFailuresFrom(T0 - 6 * HOUR), success(T0 - 6 * HOUR + MINUTE)], 6],
  ])('fires on %s', (_what, parts, reported) => {
    const { findings } = runRule(compromiseSuspected, [sequence(...parts)]);
    expect(findings).toHaveLength(1);
    expect(findings[0].key).toEqual({ username: 'ops@example.com' });
    expect(findings[0].events).toHaveLength(reported);
  });

  it.each([
    ['4 failures then a success', [...fiveFailuresFrom(T0).slice(1), success(T0 + MINUTE)]],
    ['5 failures and no success', fiveFailuresFrom(T0)],
    ['a success before the failures', [success(T0 - SECOND), ...fiveFailuresFrom(T0)]],
    ['the first failure 10 min and 1 ms before the success', [failure(T0), ...fiveFailuresFrom(T0 + MINUTE).slice(1), success(T0 + 10 * MINUTE + 1)]],
    ['failures of another user', [...fiveFailuresFrom(T0).map((part) => ({ ...part, username: 'dev@example.com' })), success(T0 + MINUTE)]],
  ])('does not fire on %s', (_what, parts) => {
    expect(runRule(compromiseSuspected, [sequence(...parts)]).findings).toEqual([]);
  });

  it('never counts a repeated failure twice', () => {
    const events = sequence(...fiveFailuresFrom(T0).slice(1), success(T0 + MINUTE));
    const failures = events.slice(0, 4);
    const resent = failures.map((event, i) => ({ ...event, seq: 100 + i }));
    const successEvent = { ...events[4], seq: 200 };
    expect(runRule(compromiseSuspected, [failures, failures, resent, [successEvent]]).findings).toEqual([]);
  });

  it('keeps the failures across a restart and fires on the success after it', () => {
    const events = sequence(...fiveFailuresFrom(T0), success(T0 + MINUTE));
    const { findings } = runRule(compromiseSuspected, events.map((event) => [event]));
    expect(reportedSeqs(findings)).toEqual(events.map((event) => event.seq));
  });

  it('says how many failures came before the success', () => {
    const { findings } = runRule(compromiseSuspected, [sequence(...Array.from({ length: 12 }, (_, i) => failure(T0 + i * SECOND)), success(T0 + MINUTE))]);
    const params = compromiseSuspected.params.parse({});
    expect(compromiseSuspected.summarize({ key: findings[0].key, count: 13, detail: findings[0].detail }, params)).toBe(
      'ops@example.com saw 12 failed sign-ins then a success within 10 min (13 events)',
    );
  });
});
