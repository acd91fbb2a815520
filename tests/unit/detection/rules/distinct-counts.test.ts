import { describe, expect, it } from 'vitest';
import { passwordSpraying } from '@/lib/detection/rules/password-spraying';
import { tokenReplay } from '@/lib/detection/rules/token-replay';
import { MINUTE, SECOND, T0, eventSequence, runRule } from '../../../helpers/detection';

const sprayParams = passwordSpraying.params.parse({});
const replayParams = tokenReplay.params.parse({});

function spray(usernames: readonly string[]) {
  const next = eventSequence();
  return usernames.map((username, i) => next({ type: 'login.failure', ip: '203.0.113.7', username, time: T0 + i * SECOND }));
}

describe('password_spraying counts distinct usernames', () => {
  it('does not fire on many failures against a few accounts', () => {
    const usernames = Array.from({ length: 40 }, (_, i) => `user${i % 9}@example.com`);
    expect(runRule(passwordSpraying, [spray(usernames)]).findings).toEqual([]);
  });

  it('says how many accounts the IP sprayed', () => {
    const { findings } = runRule(passwordSpraying, [spray(Array.from({ length: 25 }, (_, i) => `user${i}@example.com`))]);
    const summary = passwordSpraying.summarize({ key: findings[0].key, count: 25, detail: findings[0].detail }, sprayParams);
    expect(summary).toBe('203.0.113.7 is spraying passwords across 25 accounts (25 failed sign-ins; at least 10 accounts within 10 min)');
  });

  it('says "at least" once it holds as many accounts as it keeps', () => {
    const { findings } = runRule(passwordSpraying, [spray(Array.from({ length: 300 }, (_, i) => `user${i}@example.com`))]);
    const detail = findings.at(-1)!.detail;
    expect(detail).toEqual({ accounts: 40, accounts_capped: true });
    expect(passwordSpraying.summarize({ key: { ip: '203.0.113.7' }, count: 300, detail }, sprayParams)).toMatch(/^203\.0\.113\.7 is spraying passwords across at least 40 accounts/);
  });
});

describe('token_replay counts distinct IPs per jti', () => {
  const next = eventSequence();
  const use = (ip: string, time: number, jti = 'jti-7f3a') => next({ type: 'access.granted', reason: null, service: 'orders', jti, ip, time });

  it('fires when one jti comes from a second IP and names both', () => {
    const { findings } = runRule(tokenReplay, [[use('198.51.100.1', T0), use('198.51.100.1', T0 + MINUTE), use('192.0.2.9', T0 + 2 * MINUTE)]]);
    expect(findings).toHaveLength(1);
    expect(findings[0].key).toEqual({ jti: 'jti-7f3a' });
    expect(tokenReplay.summarize({ key: findings[0].key, count: 3, detail: findings[0].detail }, replayParams)).toBe(
      'token jti-7f3a presented 3 times from 2 IPs within 10 min',
    );
  });

  it('does not fire on one IP using its token many times, nor on two tokens from two IPs', () => {
    const events = [...Array.from({ length: 30 }, (_, i) => use('198.51.100.1', T0 + i * SECOND)), use('192.0.2.9', T0, 'jti-other')];
    expect(runRule(tokenReplay, [events]).findings).toEqual([]);
  });

  it('does not count a token issued to one IP as presented there', () => {
    const events = [next({ type: 'token.issued', reason: null, jti: 'jti-9', ip: '10.0.0.5', time: T0 }), use('198.51.100.1', T0 + SECOND, 'jti-9')];
    expect(runRule(tokenReplay, [events]).findings).toEqual([]);
  });

  it('says a replayed rejection was rejected as replayed', () => {
    const { findings } = runRule(tokenReplay, [[next({ type: 'token.rejected', reason: 'replayed', jti: 'jti-5', time: T0 })]]);
    expect(tokenReplay.summarize({ key: findings[0].key, count: 1, detail: findings[0].detail }, replayParams)).toBe(
      'token jti-5 presented 1 time and rejected as replayed',
    );
  });
});
