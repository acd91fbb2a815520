import type { Context } from '../context';
import { bearerToken } from './bearer';
import type { DoorEvent } from '../door/record-door-events';
import { AuthwatchError } from '../errors';
import type { RequestMeta } from '../http/request-meta';
import type { ApiTokenRecord } from '../store/accounts';
import { digestsMatch, hashApiSecret, parseApiToken } from './secret-tokens';

const TOUCH_INTERVAL_MS = 60_000;

type Rejection = { reason: NonNullable<DoorEvent['reason']>; error: AuthwatchError; tokenId?: string };

const invalid = (message = 'the credential is not valid') => new AuthwatchError('ERR_AUTH_INVALID', message);

/**
 * Why an Authorization header does not admit its bearer, or the API token it
 * holds. An ingest key (`aw_`) is refused by its prefix alone, never looked up:
 * ingest keys only ingest. Revocation and expiry are revealed (403) only to a
 * caller that proved it holds the secret; anything else is the same 401.
 */
function check(ctx: Context, authorization: string): ApiTokenRecord | Rejection {
  const presented = bearerToken(authorization);
  if (!presented) return { reason: 'malformed', error: invalid('use Authorization: Bearer <API token>') };
  if (presented.startsWith('aw_')) {
    return { reason: 'wrong_audience', error: invalid('an ingest key can only send events; use an API token here') };
  }
  const parts = parseApiToken(presented);
  if (!parts) return { reason: 'malformed', error: invalid() };
  const token = ctx.store.accounts.findApiToken(parts.id);
  if (!token) return { reason: 'unknown_kid', error: invalid(), tokenId: parts.id };
  if (!digestsMatch(hashApiSecret(parts), token.secretHash)) return { reason: 'bad_signature', error: invalid(), tokenId: parts.id };
  if (token.revokedAt !== null) {
    return { reason: 'revoked', error: new AuthwatchError('ERR_CREDENTIAL_REVOKED', 'the API token has been revoked'), tokenId: parts.id };
  }
  if (token.expiresAt <= ctx.now) {
    return { reason: 'expired', error: new AuthwatchError('ERR_CREDENTIAL_EXPIRED', 'the API token has expired'), tokenId: parts.id };
  }
  return token;
}

/** The API token an Authorization header holds; a rejection throws and becomes a `token.rejected` door event. */
export function authenticateApiToken({
  ctx,
  input,
}: {
  ctx: Context;
  input: { authorization: string; meta: RequestMeta; path: string; method: string; record: (events: DoorEvent[]) => void };
}): ApiTokenRecord {
  const result = check(ctx, input.authorization);
  if ('error' in result) {
    input.record([
      {
        type: 'token.rejected',
        reason: result.reason,
        meta: input.meta,
        target: { method: input.method, path: input.path },
        tokenId: result.tokenId,
      },
    ]);
    throw result.error;
  }
  if (result.lastUsedAt === null || ctx.now - result.lastUsedAt >= TOUCH_INTERVAL_MS) ctx.store.accounts.touchApiToken(result.id, ctx.now);
  return result;
}
