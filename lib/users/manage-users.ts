import { z } from 'zod';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { parseInput } from '../parse-input';
import { recordChange, type Actor } from '../audit/record-change';
import { hashPassword } from '../auth/password-hash';
import { MAX_PASSWORD_LENGTH, checkNewPassword } from '../auth/password-policy';
import { Role } from '../auth/roles';
import type { UserRecord, UserStatus } from '../store/accounts';
import { Email } from './email';
import { issueSetupLink } from './setup-links';

/** A user as shown to people and the API: never the password hash. */
export type UserSummary = { id: number; email: string; role: Role; status: UserStatus; createdAt: number; updatedAt: number };

const summary = ({ id, email, role, status, createdAt, updatedAt }: UserRecord): UserSummary => ({ id, email, role, status, createdAt, updatedAt });

export const AddUserInput = z.object({
  email: Email,
  role: Role,
  /** Scripted installs: set the password now instead of sending a setup link. */
  password: z.string().max(MAX_PASSWORD_LENGTH * 4).optional(),
});
export type AddUserInput = z.infer<typeof AddUserInput>;

/** The new user, and, unless a password was given, the token of their setup link (shown once). */
export type AddedUser = { user: UserSummary; setupToken: string | null };

export async function addUser({ ctx, actor, input: raw }: { ctx: Context; actor: Actor; input: z.input<typeof AddUserInput> }): Promise<AddedUser> {
  const input = parseInput(AddUserInput, raw);
  const accounts = ctx.store.accounts;
  if (input.password !== undefined) checkNewPassword(input.password, input.email);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return recordChange(
    ctx,
    actor,
    () => {
      if (accounts.findUserByEmail(input.email)) throw new AuthwatchError('ERR_USER_EXISTS', 'a user with this email exists');
      const status: UserStatus = passwordHash === null ? 'invited' : 'active';
      const user = accounts.insertUser({ email: input.email, role: input.role, status, passwordHash, createdAt: ctx.now, updatedAt: ctx.now });
      const setupToken = passwordHash === null ? issueSetupLink(ctx, 'invite', user.id) : null;
      return { user: summary(user), setupToken };
    },
    ({ user }) => ({ action: passwordHash === null ? 'user.invited' : 'user.created', target: user.email, detail: { role: user.role } }),
  );
}

export function listUsers({ ctx }: { ctx: Context }): UserSummary[] {
  return ctx.store.accounts.listUsers().map(summary);
}

/** Finds a user by id (the API) or email (the CLI). */
export const UserId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const UserRef = z.union([z.object({ id: UserId }), z.object({ email: Email })]);
export type UserRef = z.infer<typeof UserRef>;

function findUser(ctx: Context, raw: z.input<typeof UserRef>): UserRecord {
  const ref = parseInput(UserRef, raw);
  const user = 'id' in ref ? ctx.store.accounts.findUserById(ref.id) : ctx.store.accounts.findUserByEmail(ref.email);
  if (!user) throw new AuthwatchError('ERR_USER_UNKNOWN', 'no such user');
  return user;
}

/** Refuses a change that would leave no active ADMIN: nobody could manage users any more. */
function keepAnAdmin(ctx: Context, user: UserRecord): void {
  if (user.role === 'ADMIN' && user.status === 'active' && ctx.store.accounts.countActiveAdmins() <= 1) {
    throw new AuthwatchError('ERR_LAST_ADMIN', 'this is the last active ADMIN; make another ADMIN first');
  }
}

/** Changes a user's role and ends their sessions, so the new role applies from their next sign-in. */
export function setUserRole({ ctx, actor, input }: { ctx: Context; actor: Actor; input: { user: z.input<typeof UserRef>; role: Role } }): UserSummary {
  return recordChange(
    ctx,
    actor,
    () => {
      const user = findUser(ctx, input.user);
      if (user.role === input.role) return summary(user);
      if (input.role !== 'ADMIN') keepAnAdmin(ctx, user);
      ctx.store.accounts.setUserRole(user.id, input.role, ctx.now);
      ctx.store.accounts.deleteUserSessions(user.id);
      return { ...summary(user), role: input.role, updatedAt: ctx.now };
    },
    (user) => ({ action: 'user.role_changed', target: user.email, detail: { role: user.role } }),
  );
}

/** Disables a user: their sessions end at once and they cannot sign in or use a setup link. */
export function disableUser({ ctx, actor, input }: { ctx: Context; actor: Actor; input: { user: z.input<typeof UserRef> } }): UserSummary {
  return recordChange(
    ctx,
    actor,
    () => {
      const user = findUser(ctx, input.user);
      keepAnAdmin(ctx, user);
      ctx.store.accounts.setUserStatus(user.id, 'disabled', ctx.now);
      ctx.store.accounts.deleteUserSessions(user.id);
      return { ...summary(user), status: 'disabled' as const, updatedAt: ctx.now };
    },
    (user) => ({ action: 'user.disabled', target: user.email }),
  );
}

/** A new setup link for an existing, enabled user (a forgotten password); the old password works until it is used. */
export function issuePasswordResetLink({ ctx, actor, input }: { ctx: Context; actor: Actor; input: { user: z.input<typeof UserRef> } }): AddedUser {
  return recordChange(
    ctx,
    actor,
    () => {
      const user = findUser(ctx, input.user);
      if (user.status === 'disabled') throw new AuthwatchError('ERR_INVALID_INPUT', 'this user is disabled');
      return { user: summary(user), setupToken: issueSetupLink(ctx, user.status === 'invited' ? 'invite' : 'reset', user.id) };
    },
    ({ user }) => ({ action: 'user.setup_link_issued', target: user.email }),
  );
}
