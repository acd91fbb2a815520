import { getConfig } from '../config';
import type { Context } from '../context';
import { cookieMaxAgeSeconds, newSessionTimes, sessionState, touchDue, type SessionPolicy } from '../auth/session-lifetime';
import { digest, generateSessionToken } from '../auth/secret-tokens';
import type { RequestMeta } from '../http/request-meta';
import type { UserRecord } from '../store/accounts';
import { AuthwatchError } from '../errors';

export function sessionPolicy(): SessionPolicy {
  const config = getConfig();
  return { idleMs: config.AUTHWATCH_SESSION_IDLE, maxAgeMs: config.AUTHWATCH_SESSION_MAX_AGE };
}

export type StartedSession = { token: string; maxAgeSeconds: number };

/** Starts a session for an active user; the token goes into the cookie and nowhere else. */
export function startSession(ctx: Context, user: UserRecord, meta: RequestMeta): StartedSession {
  const policy = sessionPolicy();
  const token = generateSessionToken();
  const times = newSessionTimes(ctx.now, policy);
  ctx.store.accounts.deleteExpiredSessions(ctx.now, policy.idleMs);
  ctx.store.accounts.insertSession({ tokenHash: digest(token), userId: user.id, ...times, ip: meta.ip, userAgent: meta.userAgent });
  return { token, maxAgeSeconds: cookieMaxAgeSeconds(times, ctx.now) };
}

export type SessionLookup =
  | { status: 'active'; user: UserRecord; tokenHash: Buffer }
  /** There was a session, and it has ended: the page says so. */
  | { status: 'ended' }
  | { status: 'none' };

/**
 * The user a session token belongs to, read on every request: a disabled
 * user, a changed role or an ended session takes effect at once. Ended
 * sessions are deleted when met.
 */
export function lookUpSession(ctx: Context, token: string | undefined): SessionLookup {
  if (!token) return { status: 'none' };
  const tokenHash = digest(token);
  const found = ctx.store.accounts.findSession(tokenHash);
  if (!found) return { status: 'none' };
  const policy = sessionPolicy();
  if (sessionState(found.session, ctx.now, policy) !== 'active' || found.user.status !== 'active') {
    ctx.store.accounts.deleteSession(tokenHash);
    return { status: 'ended' };
  }
  if (touchDue(found.session, ctx.now, policy)) touchSession(ctx, tokenHash);
  return { status: 'active', user: found.user, tokenHash };
}

/**
 * Moves the session's idle clock. Best effort: while the store is busy (the
 * indexer or detection holding the write lock) the request goes on and a
 * later one touches it; the idle limit counts from the last touch that landed.
 */
function touchSession(ctx: Context, tokenHash: Buffer): void {
  try {
    ctx.store.accounts.touchSession(tokenHash, ctx.now);
  } catch (error) {
    if (!(error instanceof AuthwatchError && error.code === 'ERR_STORE_BUSY')) throw error;
  }
}

export function endSession(ctx: Context, tokenHash: Buffer): void {
  ctx.store.accounts.deleteSession(tokenHash);
}
