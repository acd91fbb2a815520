import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digest } from '@/lib/auth/secret-tokens';
import type { DoorEvent } from '@/lib/door/record-door-events';
import type { RequestMeta } from '@/lib/http/request-meta';
import { addUser, disableUser } from '@/lib/users/manage-users';
import { lookUpSession } from '@/lib/users/sessions';
import { signIn } from '@/lib/users/sign-in';
import { NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

const PASSWORD = 'glacier-violet-tuesday-41';
const meta = (ip = '192.0.2.10'): RequestMeta => ({ ip, scheme: 'http', origin: 'http://localhost', userAgent: 'unit' });
const cli = { kind: 'cli', label: 'tester' } as const;

// Every attempt costs a real scrypt (~0.2 s of a core, more on a busy machine).
describe('signing in', { timeout: 60_000 }, () => {
  let temp: TempStore;
  let events: DoorEvent[];
  const ctx = () => ({ store: temp.store, now: Date.now() });
  const attempt = (email: string, password: string, ip?: string) =>
    signIn({ ctx: ctx(), input: { email, password }, meta: meta(ip), record: (queued) => void events.push(...queued) });
  const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { code: string }) => error.code);

  beforeEach(async () => {
    temp = createTempStore();
    events = [];
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'alice@example.com', role: 'MANAGER', password: PASSWORD } });
  });
  afterEach(() => temp.remove());

  it('signs in with the right password, starts a session, and records login.success', async () => {
    const { user, session } = await attempt(' Alice@Example.com ', PASSWORD);
    expect(user).toMatchObject({ email: 'alice@example.com', role: 'MANAGER' });
    expect(session.token).toMatch(/^aws_[A-Za-z0-9_-]{43}$/);
    expect(lookUpSession(ctx(), session.token)).toMatchObject({ status: 'active', user: { email: 'alice@example.com' } });
    expect(events).toEqual([expect.objectContaining({ type: 'login.success', actor: expect.objectContaining({ username: 'alice@example.com' }) })]);
  });

  it('keeps a session active while the store is busy: moving its idle clock waits for a later request', async () => {
    const { session } = await attempt('alice@example.com', PASSWORD);
    const later = Date.now() + 5 * 60_000;
    const other = new Database(temp.file, { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(lookUpSession({ store: temp.store, now: later }, session.token)).toMatchObject({ status: 'active' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(temp.store.accounts.findSession(digest(session.token))?.session.lastSeenAt).toBeLessThan(later);
    expect(lookUpSession({ store: temp.store, now: later }, session.token)).toMatchObject({ status: 'active' });
    expect(temp.store.accounts.findSession(digest(session.token))?.session.lastSeenAt).toBe(later);
  });

  it('answers the same code for a wrong password, an unknown email and a disabled user, and says why only in the event', async () => {
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'root@example.com', role: 'ADMIN', password: PASSWORD } });
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'carol@example.com', role: 'USER', password: PASSWORD } });
    disableUser({ ctx: ctx(), actor: cli, input: { user: { email: 'carol@example.com' } } });
    expect(await codeOf(attempt('alice@example.com', 'not-the-password-at-all'))).toBe('ERR_SIGNIN_FAILED');
    expect(await codeOf(attempt('nobody@example.com', PASSWORD))).toBe('ERR_SIGNIN_FAILED');
    expect(await codeOf(attempt('carol@example.com', PASSWORD))).toBe('ERR_SIGNIN_FAILED');
    expect(events.map((event) => event.reason)).toEqual(['bad_credentials', 'unknown_user', 'account_disabled']);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('holds the per-email limit exactly under 50 parallel wrong passwords, with Retry-After', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => attempt('alice@example.com', 'wrong-password-guess').catch((error: unknown) => error)),
    );
    const codes = outcomes.map((outcome) => (outcome as { code: string }).code);
    expect(codes.filter((code) => code === 'ERR_SIGNIN_FAILED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'ERR_SIGNIN_THROTTLED')).toHaveLength(45);
    const throttled = outcomes.find((outcome) => (outcome as { code: string }).code === 'ERR_SIGNIN_THROTTLED') as { retryAfterSeconds: number };
    expect(throttled.retryAfterSeconds).toBeGreaterThan(890);
    expect(throttled.retryAfterSeconds).toBeLessThanOrEqual(900);
    // Even the right password waits out the lockout.
    expect(await codeOf(attempt('alice@example.com', PASSWORD))).toBe('ERR_SIGNIN_THROTTLED');
    expect(events.filter((event) => event.type === 'account.locked')).toHaveLength(1);
    expect(events.filter((event) => event.reason === 'account_locked')).toHaveLength(46);
  });

  it('forgives an account’s earlier failures once the right password is given', async () => {
    for (let i = 0; i < 4; i += 1) await codeOf(attempt('alice@example.com', 'wrong-password-guess'));
    await attempt('alice@example.com', PASSWORD);
    for (let i = 0; i < 4; i += 1) expect(await codeOf(attempt('alice@example.com', 'wrong-password-guess'))).toBe('ERR_SIGNIN_FAILED');
  });

  it('holds the per-address limit across many emails', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 21; i += 1) codes.push(await codeOf(attempt(`user${i}@example.com`, 'wrong-password-guess', '198.51.100.7')));
    expect(codes.slice(0, 20).every((code) => code === 'ERR_SIGNIN_FAILED')).toBe(true);
    expect(codes[20]).toBe('ERR_SIGNIN_THROTTLED');
    expect(events.at(-1)).toMatchObject({ type: 'rate_limit.exceeded', reason: 'per_ip' });
    // Another address is not affected.
    expect(await codeOf(attempt('alice@example.com', PASSWORD, '198.51.100.8'))).toBe('ok');
  });

  it('never records a name that is not an email: it may be a password typed in the wrong field', async () => {
    expect(await codeOf(attempt(PASSWORD, PASSWORD))).toBe('ERR_SIGNIN_FAILED');
    expect(events).toEqual([expect.objectContaining({ type: 'login.failure', actor: undefined })]);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('takes about as long for an unknown email as for a wrong password', async () => {
    await codeOf(attempt('warm-up@example.com', 'wrong-password-guess'));
    const time = async (email: string) => {
      const started = performance.now();
      await codeOf(attempt(email, 'wrong-password-guess', `192.0.2.${Math.floor(Math.random() * 200)}`));
      return performance.now() - started;
    };
    const known = await time('alice@example.com');
    const unknown = await time('nobody@example.com');
    // Both run one scrypt of the same cost (~0.2 s); a skipped hash would be ~1 ms.
    expect(unknown).toBeGreaterThan(known / 3);
  });

  it('ends a disabled user’s session at once', async () => {
    const { session } = await attempt('alice@example.com', PASSWORD);
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'root@example.com', role: 'ADMIN', password: PASSWORD } });
    disableUser({ ctx: ctx(), actor: cli, input: { user: { email: 'alice@example.com' } } });
    expect(lookUpSession(ctx(), session.token).status).toBe('none');
  });

  it('records no session or password in the store in clear', async () => {
    const { session } = await attempt('alice@example.com', PASSWORD);
    const dump = JSON.stringify(temp.store.accounts.listUsers()) + JSON.stringify(temp.store.accounts.listAudit({ limit: 100 }));
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain(session.token);
    expect(NOW).toBeGreaterThan(0);
  });
});
