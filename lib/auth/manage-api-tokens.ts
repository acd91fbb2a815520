import { z } from 'zod';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { recordChange, type Actor } from '../audit/record-change';
import { parseInput } from '../parse-input';
import type { ApiTokenRecord } from '../store/accounts';
import { KeyLifetime } from './manage-ingest-keys';
import { Role } from './roles';
import { generateApiToken, hashApiSecret } from './secret-tokens';

/**
 * API tokens for automation (SOAR, scripts): a role, a name, and always an
 * expiry (90 days unless said, at most a year), so a forgotten token dies on
 * its own. Shown once; stored as a digest; revocable; last use recorded.
 */
const DEFAULT_LIFETIME_MS = 90 * 86_400_000;
const MAX_LIFETIME_MS = 366 * 86_400_000;

export const CreateApiTokenInput = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,63}$/, 'use 1-64 letters, digits, spaces or . _ : -'),
  role: Role,
  expires: KeyLifetime.refine((ms) => ms <= MAX_LIFETIME_MS, 'at most 366d').optional(),
});
export type CreateApiTokenInput = z.input<typeof CreateApiTokenInput>;

export type ApiTokenSummary = {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
  status: 'active' | 'expired' | 'revoked';
};

export type CreatedApiToken = ApiTokenSummary & { token: string };

function summarize(token: ApiTokenRecord, now: number): ApiTokenSummary {
  const { id, name, role, createdAt, expiresAt, revokedAt, lastUsedAt } = token;
  const status = revokedAt !== null ? 'revoked' : expiresAt <= now ? 'expired' : 'active';
  return { id, name, role, createdAt, expiresAt, revokedAt, lastUsedAt, status };
}

export function createApiToken({ ctx, actor, input }: { ctx: Context; actor: Actor; input: CreateApiTokenInput }): CreatedApiToken {
  const { name, role, expires } = parseInput(CreateApiTokenInput, input);
  const generated = generateApiToken();
  const record = { id: generated.id, name, role, secretHash: hashApiSecret(generated), createdAt: ctx.now, expiresAt: ctx.now + (expires ?? DEFAULT_LIFETIME_MS) };
  recordChange(
    ctx,
    actor,
    () => ctx.store.accounts.insertApiToken(record),
    () => ({ action: 'api_token.created', target: record.id, detail: { name, role, expiresAt: record.expiresAt } }),
  );
  return { ...summarize({ ...record, revokedAt: null, lastUsedAt: null }, ctx.now), token: generated.token };
}

export function listApiTokens({ ctx }: { ctx: Context }): ApiTokenSummary[] {
  return ctx.store.accounts.listApiTokens().map((token) => summarize(token, ctx.now));
}

export function revokeApiToken({ ctx, actor, input }: { ctx: Context; actor: Actor; input: { id: string } }): void {
  recordChange(
    ctx,
    actor,
    () => {
      const token = ctx.store.accounts.findApiToken(input.id);
      if (!token) throw new AuthwatchError('ERR_TOKEN_UNKNOWN', 'no API token has that id');
      ctx.store.accounts.revokeApiToken(input.id, ctx.now);
      return token;
    },
    (token) => ({ action: 'api_token.revoked', target: token.id, detail: { name: token.name } }),
  );
}
