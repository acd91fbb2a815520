import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Ingest keys look like `aw_<id>_<secret>`: a public 12-hex-digit id to find the
 * row, and 256 random bits of secret. Only SHA-256(id.secret) is stored; with
 * that much entropy a slow password hash adds nothing but latency.
 */
const KEY_PATTERN = /^aw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export type IngestKeyParts = { id: string; secret: string };

export function generateIngestKey(): IngestKeyParts & { key: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `aw_${id}_${secret}` };
}

export function parseIngestKey(key: string): IngestKeyParts | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

export function hashIngestSecret(parts: IngestKeyParts): Buffer {
  return createHash('sha256').update(`${parts.id}.${parts.secret}`).digest();
}

export function secretMatches(parts: IngestKeyParts, storedHash: Buffer): boolean {
  const candidate = hashIngestSecret(parts);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
