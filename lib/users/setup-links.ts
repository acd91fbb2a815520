import { z } from 'zod';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { parseInput } from '../parse-input';
import { appendChange, type Actor } from '../audit/record-change';
import { hashPassword } from '../auth/password-hash';
import { MAX_PASSWORD_LENGTH, checkNewPassword } from '../auth/password-policy';
import type { Role } from '../auth/roles';
import { digest, generateSetupToken, isSetupToken } from '../auth/secret-tokens';
import type { RequestMeta } from '../http/request-meta';
import type { SetupLinkPurpose, SetupLinkRecord, UserRecord } from '../store/accounts';
import { Email } from './email';
import { startSession, type StartedSession } from './sessions';

/**
 * One-time setup links: the only way a password is first set (no default
 * password exists) or reset. The token travels in the link's fragment
 * (`/setup#awl_…`), which browsers never send to a server, so it stays out of
 * access logs, proxies and Referer headers; the page posts it. Only its digest
 * is stored; a link works once, within 24 hours, and a newer link for the same
 * account replaces an unused older one.
 */
export const SETUP_LINK_LIFETIME_MS = 24 * 3_600_000;

export function setupLinkUrl(base: string, token: string): string {
  return `${base}/setup#${token}`;
}

/** Makes a link; the caller audits it. Returns the token, which is never stored. */
export function issueSetupLink(ctx: Context, purpose: SetupLinkPurpose, userId: number | null): string {
  const token = generateSetupToken();
  ctx.store.accounts.deleteUnusedSetupLinks(purpose, userId);
  ctx.store.accounts.insertSetupLink({ tokenHash: digest(token), purpose, userId, createdAt: ctx.now, expiresAt: ctx.now + SETUP_LINK_LIFETIME_MS });
  return token;
}

export const SetupToken = z.string().max(64).refine(isSetupToken, 'is not a setup link token');

export type SetupLinkDescription = { purpose: SetupLinkPurpose; email: string | null; role: Role };

const INVALID = () => new AuthwatchError('ERR_SETUP_LINK_INVALID', 'this setup link is not valid: it was used, has expired, or was replaced');

function usableLink(ctx: Context, token: string): { link: SetupLinkRecord; user: UserRecord | undefined } {
  const link = ctx.store.accounts.findSetupLink(digest(token));
  if (!link || link.usedAt !== null || link.expiresAt <= ctx.now) throw INVALID();
  if (link.purpose === 'first_admin') {
    if (ctx.store.accounts.countUsers() > 0) throw INVALID();
    return { link, user: undefined };
  }
  const user = ctx.store.accounts.findUserById(link.userId as number);
  if (!user || user.status === 'disabled') throw INVALID();
  return { link, user };
}

/** What the setup page shows before the password is chosen. */
export function describeSetupLink({ ctx, input }: { ctx: Context; input: { token: string } }): SetupLinkDescription {
  const { link, user } = usableLink(ctx, input.token);
  return { purpose: link.purpose, email: user?.email ?? null, role: user?.role ?? 'ADMIN' };
}

export const CompleteSetupInput = z.object({
  token: SetupToken,
  /** Only the first-admin link lets its holder choose the email. */
  email: Email.optional(),
  password: z.string().max(MAX_PASSWORD_LENGTH * 4),
});
export type CompleteSetupInput = z.infer<typeof CompleteSetupInput>;

/**
 * Sets the password a link was made for (creating the first ADMIN for a
 * first-run link), ends the account's other sessions, and signs it in.
 */
export async function completeSetup({
  ctx,
  input: raw,
  meta,
}: {
  ctx: Context;
  input: z.input<typeof CompleteSetupInput>;
  meta: RequestMeta;
}): Promise<{ user: UserRecord; session: StartedSession }> {
  const input = parseInput(CompleteSetupInput, raw);
  const { link, user } = usableLink(ctx, input.token);
  const email = user?.email ?? input.email;
  if (!email) throw new AuthwatchError('ERR_INVALID_INPUT', 'email: required to create the first account');
  checkNewPassword(input.password, email);
  const passwordHash = await hashPassword(input.password);
  const now = Date.now();
  const at = { ...ctx, now };
  const accounts = ctx.store.accounts;

  const activated = accounts.transaction(() => {
    // Checked again: another request may have used the link, or made the first user, while we hashed.
    usableLink(at, input.token);
    if (!accounts.useSetupLink(link.tokenHash, now)) throw INVALID();
    let account: UserRecord;
    if (user) {
      accounts.setUserPassword(user.id, passwordHash, now);
      accounts.deleteUserSessions(user.id);
      account = accounts.findUserById(user.id) as UserRecord;
    } else {
      if (accounts.findUserByEmail(email)) throw INVALID();
      account = accounts.insertUser({ email, role: 'ADMIN', status: 'active', passwordHash, createdAt: now, updatedAt: now });
    }
    const self: Actor = { kind: 'user', id: account.id, label: account.email, ip: meta.ip };
    appendChange(at, self, { action: user ? 'user.password_set' : 'user.created', target: account.email, detail: { role: account.role, via: link.purpose } });
    return account;
  });
  return { user: activated, session: startSession(at, activated, meta) };
}
