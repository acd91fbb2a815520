import { describe, expect, it } from 'vitest';
import { applyFinding, changeAlertStatus, EVIDENCE_HEAD, EVIDENCE_TAIL, quietUntil, resolveIfQuiet, type Alert } from '@/lib/detection/alert-lifecycle';
import { keyIdOf, type AlertKey } from '@/lib/detection/alert-key';
import { explorerQueryString } from '@/lib/detection/explorer-filter';
import type { EvidenceEvent, Finding, Rule } from '@/lib/detection/rule';
import { bruteForceIp } from '@/lib/detection/rules/brute-force-ip';
import { passwordSpraying } from '@/lib/detection/rules/password-spraying';
import { plaintextHttp } from '@/lib/detection/rules/plaintext-http';
import { tokenForgery } from '@/lib/detection/rules/token-forgery';
import { HOUR, MINUTE, SECOND, T0 } from '../../helpers/detection';

const params = bruteForceIp.params.parse({});
const KEY: AlertKey = { ip: '203.0.113.7' };

function finding(firstSeq: number, times: readonly number[], key = KEY, service = 'gateway'): Finding {
  const events: EvidenceEvent[] = times.map((time, i) => ({ seq: firstSeq + i, id: `evt-${firstSeq + i}`, time, service }));
  return { rule: 'brute_force_ip', keyId: keyIdOf(key), key, events, detail: {} };
}

const tenFailures = (start: number, firstSeq = 1) => finding(firstSeq, Array.from({ length: 10 }, (_, i) => start + i * SECOND));

function opened(): Alert {
  return applyFinding(undefined, tenFailures(T0), bruteForceIp, params, T0 + MINUTE).alert;
}

describe('the alert lifecycle', () => {
  it('opens an alert with what the alerts API shows', () => {
    const result = applyFinding(undefined, tenFailures(T0), bruteForceIp, params, T0 + MINUTE);
    expect(result.opened).toBe(true);
    expect(result.alert).toMatchObject({
      rule: 'brute_force_ip',
      key: KEY,
      severity: 'high',
      status: 'open',
      service: 'gateway',
      services: ['gateway'],
      count: 10,
      firstSeen: T0,
      lastSeen: T0 + 9 * SECOND,
      summary: '203.0.113.7 failed 10 sign-ins (at least 10 within 5 min)',
      openedAt: T0 + MINUTE,
      resolvedAt: null,
    });
    expect(result.alert.evidence.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('updates the open alert of its key: count, last seen, evidence, summary, services', () => {
    const more = finding(11, [T0 + 2 * MINUTE, T0 + 3 * MINUTE], KEY, 'admin-portal');
    const result = applyFinding(opened(), more, bruteForceIp, params, T0 + 4 * MINUTE);
    expect(result.opened).toBe(false);
    expect(result.alert).toMatchObject({ count: 12, firstSeen: T0, lastSeen: T0 + 3 * MINUTE, services: ['gateway', 'admin-portal'], updatedAt: T0 + 4 * MINUTE });
    expect(result.alert.summary).toBe('203.0.113.7 failed 12 sign-ins (at least 10 within 5 min)');
  });

  it('keeps the first and the latest evidence, and no more', () => {
    let alert = opened();
    for (let batch = 0; batch < 30; batch += 1) alert = applyFinding(alert, tenFailures(T0 + batch * MINUTE, 11 + batch * 10), bruteForceIp, params, T0).alert;
    expect(alert.count).toBe(310);
    const seqs = alert.evidence.map((event) => event.seq);
    expect(seqs).toHaveLength(EVIDENCE_HEAD + EVIDENCE_TAIL);
    expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
    expect(seqs.at(-1)).toBe(310);
  });

  it('resolves after the quiet period, measured from the last event time on the engine clock', () => {
    const alert = applyFinding(opened(), finding(11, [T0 + 30 * MINUTE]), bruteForceIp, params, T0 + 31 * MINUTE).alert;
    const until = T0 + 30 * MINUTE + HOUR;
    expect(quietUntil(alert, params)).toBe(until);
    expect(resolveIfQuiet(alert, params, until - 1)).toBe(alert);
    expect(resolveIfQuiet(alert, params, until)).toMatchObject({ status: 'resolved', resolvedAt: until });
  });

  it('keeps a backfilled attack open for a quiet period from when it was raised', () => {
    const old = applyFinding(undefined, tenFailures(T0 - 6 * HOUR), bruteForceIp, params, T0).alert;
    expect(resolveIfQuiet(old, params, T0 + HOUR - 1).status).toBe('open');
    expect(resolveIfQuiet(old, params, T0 + HOUR).status).toBe('resolved');
  });

  it('updates an acknowledged alert and resolves it when quiet too', () => {
    const acknowledged = changeAlertStatus(opened(), 'acknowledged', T0 + 2 * MINUTE);
    const updated = applyFinding(acknowledged, finding(11, [T0 + 3 * MINUTE]), bruteForceIp, params, T0 + 3 * MINUTE).alert;
    expect(updated).toMatchObject({ status: 'acknowledged', count: 11 });
    expect(resolveIfQuiet(updated, params, T0 + 3 * MINUTE + HOUR).status).toBe('resolved');
  });

  it('opens a new alert for a recurrence after the quiet period, and hands back the old one resolved', () => {
    const first = opened();
    const later = T0 + 3 * HOUR;
    const result = applyFinding(first, tenFailures(later, 100), bruteForceIp, params, later + MINUTE);
    expect(result.opened).toBe(true);
    expect(result.resolved).toMatchObject({ status: 'resolved', count: 10, resolvedAt: later + MINUTE });
    expect(result.alert).toMatchObject({ status: 'open', count: 10, firstSeen: later });
  });

  it('opens a new alert for a recurrence after a person resolved it', () => {
    const resolved = changeAlertStatus(opened(), 'resolved', T0 + 2 * MINUTE);
    const result = applyFinding(resolved, tenFailures(T0 + 3 * MINUTE, 50), bruteForceIp, params, T0 + 4 * MINUTE);
    expect(result.opened).toBe(true);
    expect(result.resolved).toBeUndefined();
  });

  it('restarts the quiet period when a person reopens an alert', () => {
    const resolved = resolveIfQuiet(opened(), params, T0 + 2 * HOUR);
    const reopened = changeAlertStatus(resolved, 'open', T0 + 3 * HOUR);
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, openedAt: T0 + 3 * HOUR });
    expect(resolveIfQuiet(reopened, params, T0 + 4 * HOUR - 1).status).toBe('open');
  });
});

describe('the explorer filter of an alert', () => {
  const alertFor = (rule: Rule, key: AlertKey) =>
    applyFinding(undefined, { ...finding(1, [T0, T0 + MINUTE], key), rule: rule.id }, rule, rule.params.parse({}), T0 + MINUTE).alert;

  it('names the key, the types the rule counts, and the span (to is exclusive)', () => {
    const alert = alertFor(bruteForceIp, KEY);
    expect(alert.explorer).toEqual({ from: '2025-03-10T12:00:00.000Z', to: '2025-03-10T12:01:00.001Z', ip: '203.0.113.7', type: ['login.failure'] });
  });

  it('names the reasons too, and repeats a parameter for each value', () => {
    const alert = alertFor(tokenForgery, { service: 'payments' });
    expect(explorerQueryString(alert.explorer)).toBe(
      'from=2025-03-10T12%3A00%3A00.000Z&to=2025-03-10T12%3A01%3A00.001Z&service=payments&type=token.rejected&reason=bad_signature&reason=alg_not_allowed',
    );
  });

  it('filters no type for a rule that looks at every type', () => {
    expect(alertFor(plaintextHttp, { service: 'legacy' }).explorer.type).toBeUndefined();
  });
});

describe('summaries', () => {
  it('say what PRODUCT.md says, and keep attacker text as escaped plain text', () => {
    const spraying = passwordSpraying.params.parse({});
    expect(passwordSpraying.summarize({ key: KEY, count: 40, detail: { accounts: 40 } }, spraying)).toBe(
      '203.0.113.7 is spraying passwords across 40 accounts (40 failed sign-ins; at least 10 accounts within 10 min)',
    );
    const forged = tokenForgery.summarize({ key: { service: 'pay\u202Ements<b>' }, count: 1, detail: {} }, tokenForgery.params.parse({}));
    expect(forged).toBe('pay\\u202ements<b>: 1 forged or tampered token (bad signature or disallowed algorithm)');
  });
});

describe('a flood in one finding', () => {
  it('opens an alert from 200,000 events at once, its evidence bounded', () => {
    const times = Array.from({ length: 200_000 }, (_, i) => T0 + i);
    const { alert } = applyFinding(undefined, finding(1, times), bruteForceIp, params, T0);
    expect(alert).toMatchObject({ count: 200_000, firstSeen: T0, lastSeen: T0 + 199_999 });
    expect(alert.evidence.map((event) => event.seq)).toEqual([...times.slice(0, 25).map((_, i) => i + 1), ...times.slice(-25).map((_, i) => 199_976 + i)]);
  });
});
