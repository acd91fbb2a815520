import { randomBytes } from 'node:crypto';
import { bearerToken } from './bearer';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { parseIngestKey, secretMatches } from './ingest-key-format';
import { noteIngestKeyUse } from './ingest-key-usage';

/** Random per process: no secret hashes to it. */
const UNKNOWN_KEY_HASH = randomBytes(32);

export type IngestCredential = { keyId: string; serviceId: number; serviceName: string };

/**
 * Turns an Authorization header into the service it speaks for. Revocation and
 * expiry are only revealed (403) to a caller that proved it holds the secret;
 * anything else is the same 401, so keys cannot be probed.
 */
export function authenticateIngest({ ctx, input }: { ctx: Context; input: { authorization: string | null } }): IngestCredential {
  const header = input.authorization?.trim();
  if (!header) throw new AuthwatchError('ERR_AUTH_MISSING', 'an Authorization: Bearer <ingest key> header is required');
  // Two Authorization headers arrive joined with ", " (RFC 9110 §5.3); no credential holds a comma.
  if (header.includes(',')) throw new AuthwatchError('ERR_AUTH_AMBIGUOUS', 'send exactly one Authorization header with one credential');
  const presented = bearerToken(header);
  const parts = presented ? parseIngestKey(presented) : undefined;
  const record = parts && ctx.store.findIngestKey(parts.id);
  // An unknown id is checked against a hash that matches nothing, so it takes as long as a known one.
  const matches = parts !== undefined && secretMatches(parts, record?.secretHash ?? UNKNOWN_KEY_HASH);
  if (!parts || !record || !matches) {
    throw new AuthwatchError('ERR_AUTH_INVALID', 'the credential is not valid');
  }
  if (record.revokedAt !== null) throw new AuthwatchError('ERR_CREDENTIAL_REVOKED', 'the credential has been revoked');
  if (record.expiresAt !== null && record.expiresAt <= ctx.now) {
    throw new AuthwatchError('ERR_CREDENTIAL_EXPIRED', 'the credential has expired');
  }
  noteIngestKeyUse(ctx.store, record.id, ctx.now);
  return { keyId: record.id, serviceId: record.serviceId, serviceName: record.serviceName };
}
