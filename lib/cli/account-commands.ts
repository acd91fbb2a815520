import os from 'node:os';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth/manage-api-tokens';
import { Role } from '../auth/roles';
import type { Actor } from '../audit/record-change';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { defaultBaseUrl } from '../users/first-run';
import { addUser, disableUser, listUsers, setUserRole } from '../users/manage-users';
import { setupLinkUrl } from '../users/setup-links';
import { formatTable } from './format-table';

/** The `users` and `tokens` commands. Secrets (setup links, tokens) go alone to stdout; everything else to stderr. */
export type CommandOptions = { role?: string; name?: string; expires?: string; json?: boolean; passwordStdin?: boolean };

const iso = (time: number | null) => (time === null ? '-' : new Date(time).toISOString());

/** Changes made here are audited as the operating-system user who ran the command. */
export const cliActor = (): Actor => ({ kind: 'cli', label: os.userInfo().username });

function roleOption(role: string | undefined): Role {
  const parsed = Role.safeParse(role);
  if (!parsed.success) throw new AuthwatchError('ERR_INVALID_INPUT', '--role must be USER, MANAGER or ADMIN');
  return parsed.data;
}

/** The password from standard input, without the newline that ends it. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function addUserCommand(ctx: Context, email: string, options: CommandOptions): Promise<void> {
  const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
  const added = await addUser({ ctx, actor: cliActor(), input: { email, role: roleOption(options.role), password } });
  if (added.setupToken === null) {
    process.stderr.write(`created ${added.user.email} (${added.user.role}) with the password given\n`);
    return;
  }
  process.stderr.write(`invited ${added.user.email} (${added.user.role}); this one-time link sets their password within 24 hours:\n`);
  process.stdout.write(`${setupLinkUrl(defaultBaseUrl(), added.setupToken)}\n`);
}

export function listUsersCommand(ctx: Context, options: CommandOptions): void {
  const users = listUsers({ ctx });
  if (options.json) process.stdout.write(`${JSON.stringify(users)}\n`);
  else process.stdout.write(formatTable(['EMAIL', 'ROLE', 'STATUS', 'CREATED'], users.map((u) => [u.email, u.role, u.status, iso(u.createdAt)])));
}

export function setRoleCommand(ctx: Context, email: string, role: string | undefined): void {
  const user = setUserRole({ ctx, actor: cliActor(), input: { user: { email }, role: roleOption(role) } });
  process.stderr.write(`${user.email} is now ${user.role}; their sessions have ended\n`);
}

export function disableUserCommand(ctx: Context, email: string): void {
  const user = disableUser({ ctx, actor: cliActor(), input: { user: { email } } });
  process.stderr.write(`${user.email} is disabled; their sessions have ended\n`);
}

export function createTokenCommand(ctx: Context, options: CommandOptions): void {
  if (!options.name) throw new AuthwatchError('ERR_INVALID_INPUT', 'tokens create needs --name NAME');
  const created = createApiToken({ ctx, actor: cliActor(), input: { name: options.name, role: roleOption(options.role), expires: options.expires } });
  process.stderr.write(`created API token ${created.id} (${created.role}), expires ${iso(created.expiresAt)}; it is shown only now\n`);
  process.stdout.write(`${created.token}\n`);
}

export function listTokensCommand(ctx: Context, options: CommandOptions): void {
  const tokens = listApiTokens({ ctx });
  if (options.json) process.stdout.write(`${JSON.stringify(tokens)}\n`);
  else {
    const rows = tokens.map((t) => [t.id, t.name, t.role, t.status, iso(t.createdAt), iso(t.expiresAt), iso(t.lastUsedAt)]);
    process.stdout.write(formatTable(['ID', 'NAME', 'ROLE', 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED'], rows));
  }
}

export function revokeTokenCommand(ctx: Context, id: string): void {
  revokeApiToken({ ctx, actor: cliActor(), input: { id } });
  process.stderr.write('revoked\n');
}
