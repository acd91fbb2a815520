import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '@/lib/detection/detection-event';
import type { Rule } from '@/lib/detection/rule';
import { longLivedToken } from '@/lib/detection/rules/long-lived-token';
import { plaintextHttp } from '@/lib/detection/rules/plaintext-http';
import { serviceImpersonation } from '@/lib/detection/rules/service-impersonation';
import { tokenForgery } from '@/lib/detection/rules/token-forgery';
import { tokenReplay } from '@/lib/detection/rules/token-replay';
import { HOUR, T0, eventSequence, reportedSeqs, runRule } from '../../../helpers/detection';

const issued = (lifetimeSeconds: number): Partial<DetectionEvent> => ({
  type: 'token.issued',
  reason: null,
  service: 'auth',
  tokenIssuedAt: T0,
  tokenExpiresAt: T0 + lifetimeSeconds * 1000,
});

/** Rules where one matching event raises the alert: which events fire, which do not. */
const CASES: { rule: Rule; fires: [string, Partial<DetectionEvent>][]; quiet: [string, Partial<DetectionEvent>][] }[] = [
  {
    rule: tokenForgery,
    fires: [
      ['a bad signature', { type: 'token.rejected', reason: 'bad_signature', service: 'payments' }],
      ['a disallowed algorithm', { type: 'token.rejected', reason: 'alg_not_allowed', service: 'payments' }],
    ],
    quiet: [
      ['an expired token', { type: 'token.rejected', reason: 'expired', service: 'payments' }],
      ['an unknown kid', { type: 'token.rejected', reason: 'unknown_kid', service: 'payments' }],
    ],
  },
  {
    rule: serviceImpersonation,
    fires: [
      ['a mismatched identity', { type: 'mtls.rejected', reason: 'identity_mismatch', service: 'ledger' }],
      ['an untrusted CA', { type: 'mtls.rejected', reason: 'untrusted_ca', service: 'ledger' }],
    ],
    quiet: [
      ['no client certificate', { type: 'mtls.rejected', reason: 'no_client_cert', service: 'ledger' }],
      ['an expired certificate', { type: 'mtls.rejected', reason: 'cert_expired', service: 'ledger' }],
    ],
  },
  {
    rule: longLivedToken,
    fires: [
      ['a token living one second over an hour', issued(3601)],
      ['a token living a day', issued(86_400)],
    ],
    quiet: [
      ['a token living exactly an hour', issued(3600)],
      ['a token without expiry', { ...issued(86_400), tokenExpiresAt: null }],
      ['a refreshed token', { ...issued(86_400), type: 'token.refreshed' }],
    ],
  },
  {
    rule: plaintextHttp,
    fires: [
      ['a sign-in over http', { type: 'login.success', reason: null, scheme: 'http' }],
      ['a granted call over http', { type: 'access.granted', reason: null, scheme: 'http' }],
    ],
    quiet: [
      ['https', { type: 'login.success', reason: null, scheme: 'https' }],
      ['no scheme', { type: 'login.success', reason: null, scheme: null }],
    ],
  },
  {
    rule: tokenReplay,
    fires: [
      ['a replayed rejection with a jti', { type: 'token.rejected', reason: 'replayed', jti: 'jti-1' }],
      ['a replayed rejection without jti or IP', { type: 'token.rejected', reason: 'replayed', jti: null, ip: null }],
    ],
    quiet: [['one presentation of a jti', { type: 'access.granted', reason: null, jti: 'jti-1' }]],
  },
];

describe.each(CASES)('$rule.id', ({ rule, fires, quiet }) => {
  it.each(fires)('fires on %s', (_what, overrides) => {
    const event = eventSequence()(overrides);
    expect(reportedSeqs(runRule(rule, [[event]]).findings)).toEqual([event.seq]);
  });

  it.each(quiet)('does not fire on %s', (_what, overrides) => {
    expect(runRule(rule, [[eventSequence()(overrides)]]).findings).toEqual([]);
  });

  it('reports each event once: a repeated batch and a re-sent id count once', () => {
    const next = eventSequence();
    const event = next(fires[0][1]);
    const again = { ...event, seq: next().seq };
    expect(reportedSeqs(runRule(rule, [[event], [event], [again]]).findings)).toEqual([event.seq]);
  });

  it('reports an hours-old event', () => {
    const event = eventSequence()({ ...fires[0][1], time: T0 - 6 * HOUR });
    expect(reportedSeqs(runRule(rule, [[event]]).findings)).toEqual([event.seq]);
  });
});

describe('single-event grouping', () => {
  it('groups forgeries by service by default, and by IP when asked', () => {
    const next = eventSequence();
    const events = ['198.51.100.1', '198.51.100.2'].map((ip) => next({ type: 'token.rejected', reason: 'bad_signature', service: 'payments', ip }));
    expect(runRule(tokenForgery, [events]).findings.map((finding) => finding.key)).toEqual([{ service: 'payments' }]);
    const byIp = tokenForgery.params.parse({ group_by: 'ip' });
    expect(runRule(tokenForgery, [events], byIp).findings.map((finding) => finding.key)).toEqual([{ ip: '198.51.100.1' }, { ip: '198.51.100.2' }]);
  });

  it('says how long the longest long-lived token lives', () => {
    const next = eventSequence();
    const { findings } = runRule(longLivedToken, [[next(issued(7200)), next(issued(86_400))]]);
    expect(findings[0].detail).toEqual({ longest_lifetime_seconds: 86_400 });
  });
});
