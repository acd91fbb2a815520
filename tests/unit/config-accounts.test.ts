import { describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';

/** An environment holding only `values` (Next's types make NODE_ENV required; readConfig ignores it). */
const env = (values: Record<string, string> = {}) => ({ NODE_ENV: 'test', ...values }) as NodeJS.ProcessEnv;

describe('the sign-in settings', () => {
  it('default to 12 h idle, 7 d in all, 5 and 20 failures in 15 min, no trusted proxy, no public URL', () => {
    const config = readConfig(env());
    expect(config.AUTHWATCH_PUBLIC_URL).toBeUndefined();
    expect(config).toMatchObject({
      AUTHWATCH_SESSION_IDLE: 12 * 3_600_000,
      AUTHWATCH_SESSION_MAX_AGE: 7 * 86_400_000,
      AUTHWATCH_SIGNIN_WINDOW: 15 * 60_000,
      AUTHWATCH_SIGNIN_MAX_FAILURES_PER_EMAIL: 5,
      AUTHWATCH_SIGNIN_MAX_FAILURES_PER_IP: 20,
      AUTHWATCH_TRUST_PROXY: false,
    });
  });

  it('read durations, the proxy flag and the public URL as written', () => {
    const config = readConfig(env({ AUTHWATCH_SESSION_IDLE: '30m', AUTHWATCH_TRUST_PROXY: '1', AUTHWATCH_PUBLIC_URL: 'https://aw.example.com/x' }));
    expect([config.AUTHWATCH_SESSION_IDLE, config.AUTHWATCH_TRUST_PROXY, config.AUTHWATCH_PUBLIC_URL]).toEqual([1_800_000, true, 'https://aw.example.com']);
  });

  it.each([
    ['AUTHWATCH_SESSION_IDLE', '12'],
    ['AUTHWATCH_SESSION_MAX_AGE', '1w'],
    ['AUTHWATCH_TRUST_PROXY', 'yes'],
    ['AUTHWATCH_PUBLIC_URL', 'javascript:alert(1)'],
    ['AUTHWATCH_PUBLIC_URL', 'ftp://aw.example.com'],
    ['AUTHWATCH_SIGNIN_MAX_FAILURES_PER_EMAIL', '0'],
  ])('refuse %s=%j, naming it', (name, value) => {
    expect(() => readConfig(env({ [name]: value }))).toThrow(name);
  });
});
