import { z } from 'zod';
import { getConfig } from '../config';
import type { Context } from '../context';
import type { DoorEvent } from '../door/record-door-events';
import { AuthwatchError } from '../errors';
import { hashPassword, needsRehash, verifyPassword } from '../auth/password-hash';
import { MAX_PASSWORD_LENGTH } from '../auth/password-policy';
import { digest } from '../auth/secret-tokens';
import { chargeAttempt, refundAttempt, type ThrottleKey } from '../auth/signin-throttle';
import { throttleAddress, type RequestMeta } from '../http/request-meta';
import { parseInput } from '../parse-input';
import type { UserRecord } from '../store/accounts';
import { Email } from './email';
import { startSession, type StartedSession } from './sessions';

export const SignInInput = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH * 4),
});
export type SignInInput = z.infer<typeof SignInInput>;

export type SignInResult = { user: UserRecord; session: StartedSession };

/** What sign-in tells a caller: the same whether the email exists, is disabled, or the password is wrong. */
const FAILED = () => new AuthwatchError('ERR_SIGNIN_FAILED', 'the email or password is not correct');

/** Hashed once per process: an unknown email is checked against it, so it costs what a known one does. */
let decoy: Promise<string> | undefined;

function throttleKeys(email: string, meta: RequestMeta): ThrottleKey[] {
  const config = getConfig();
  return [
    { key: `email:${digest(email).toString('hex')}`, limit: config.AUTHWATCH_SIGNIN_MAX_FAILURES_PER_EMAIL },
    { key: `ip:${throttleAddress(meta.ip)}`, limit: config.AUTHWATCH_SIGNIN_MAX_FAILURES_PER_IP },
  ];
}

function failureReason(user: UserRecord | undefined): NonNullable<DoorEvent['reason']> {
  if (!user) return 'unknown_user';
  if (user.status === 'disabled') return 'account_disabled';
  return user.passwordHash === null ? 'other' : 'bad_credentials';
}

/**
 * Signs a person in with email and password. Every attempt, refused or not,
 * becomes door events (`record`), which the caller stores. Throttled attempts
 * are refused before any password work; every other attempt costs one scrypt,
 * whether the email exists or not.
 */
export async function signIn({
  ctx,
  input: raw,
  meta,
  record,
}: {
  ctx: Context;
  input: z.input<typeof SignInInput>;
  meta: RequestMeta;
  record: (events: DoorEvent[]) => void;
}): Promise<SignInResult> {
  const input = parseInput(SignInInput, raw);
  const accounts = ctx.store.accounts;
  const windowMs = getConfig().AUTHWATCH_SIGNIN_WINDOW;
  const keys = throttleKeys(input.email, meta);
  const names = keys.map((key) => key.key);
  // People type passwords into the email field: a name that is not an email is never recorded.
  const door = { meta, target: { method: 'POST', path: '/login' }, actor: Email.safeParse(input.email).success ? { username: input.email } : undefined };

  // Read, decide and write with no await between: on one event loop, the limit holds exactly.
  const decision = chargeAttempt(accounts.readThrottle(names), keys, ctx.now, windowMs);
  if (!decision.allowed) {
    const emailLocked = decision.lockedKeys.includes(names[0]);
    record([emailLocked ? { ...door, type: 'login.failure', reason: 'account_locked' } : { ...door, type: 'rate_limit.exceeded', reason: 'per_ip' }]);
    throw new AuthwatchError('ERR_SIGNIN_THROTTLED', 'too many failed sign-ins; wait before trying again', {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  accounts.writeThrottle(decision.records);

  const user = accounts.findUserByEmail(input.email);
  decoy ??= hashPassword('decoy password for unknown accounts');
  const stored = user?.passwordHash ?? (await decoy);
  const matches = await verifyPassword(stored, input.password);

  if (matches && user?.status === 'active') {
    accounts.writeThrottle(refundAttempt(accounts.readThrottle(names), names, [names[0]], Date.now(), windowMs));
    if (needsRehash(stored)) accounts.setUserPassword(user.id, await hashPassword(input.password), Date.now());
    record([{ ...door, type: 'login.success', actor: { username: user.email, subject: `user:${user.id}`, roles: [user.role] } }]);
    return { user, session: startSession({ ...ctx, now: Date.now() }, user, meta) };
  }

  const events: DoorEvent[] = [{ ...door, type: 'login.failure', reason: failureReason(user) }];
  if (decision.reachedLimit.includes(names[0])) events.push({ ...door, type: 'account.locked' });
  if (decision.reachedLimit.includes(names[1])) events.push({ ...door, type: 'rate_limit.exceeded', reason: 'per_ip' });
  record(events);
  throw FAILED();
}
