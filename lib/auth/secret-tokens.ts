import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The secrets authwatch hands out besides ingest keys (`aw_`, ingest-key-format.ts),
 * each with its own prefix so a leaked one is recognisable (by people, secret
 * scanners and authwatch itself) and one kind can never pass for another:
 *
 * - `aws_<secret>`: a browser session, in the session cookie;
 * - `awl_<secret>`: a one-time setup link's token, in the link's fragment;
 * - `awt_<id>_<secret>`: an API token; the 12-hex-digit id finds its row.
 *
 * Every secret is 256 random bits (43 base64url characters). Only SHA-256
 * digests are stored: with that much entropy a slow hash adds nothing.
 */
const SECRET = '[A-Za-z0-9_-]{43}';
const SESSION_TOKEN = new RegExp(`^aws_${SECRET}$`);
const SETUP_TOKEN = new RegExp(`^awl_${SECRET}$`);
const API_TOKEN = new RegExp(`^awt_([0-9a-f]{12})_(${SECRET})$`);

const newSecret = () => randomBytes(32).toString('base64url');

export function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function digestsMatch(candidate: Buffer, stored: Buffer): boolean {
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

export const generateSessionToken = () => `aws_${newSecret()}`;
export const generateSetupToken = () => `awl_${newSecret()}`;
export const isSessionToken = (text: string) => SESSION_TOKEN.test(text);
export const isSetupToken = (text: string) => SETUP_TOKEN.test(text);

export type ApiTokenParts = { id: string; secret: string };

export function generateApiToken(): ApiTokenParts & { token: string } {
  const id = randomBytes(6).toString('hex');
  const secret = newSecret();
  return { id, secret, token: `awt_${id}_${secret}` };
}

export function parseApiToken(token: string): ApiTokenParts | undefined {
  const match = API_TOKEN.exec(token);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

export const hashApiSecret = (parts: ApiTokenParts) => digest(`${parts.id}.${parts.secret}`);
