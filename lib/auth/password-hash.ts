import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto), memory-hard. Parameters: one of
 * OWASP's equivalent minimums (Password Storage Cheat Sheet): N = 2^15 (32 MiB
 * per hash), r = 8, p = 3, a 16-byte random salt and a 32-byte key; about
 * 0.2 s of one core here, run on libuv's thread pool, off the event loop.
 *
 * Stored in the PHC string format, `$scrypt$ln=15,r=8,p=3$<salt>$<hash>`
 * (base64, no padding), so the parameters can be raised later: a hash made
 * with other ones `needsRehash` and is replaced at the next sign-in.
 */
export const SCRYPT_PARAMETERS = { logN: 15, r: 8, p: 3, saltBytes: 16, keyBytes: 32 } as const;

type Parameters = { logN: number; r: number; p: number };

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{32,})$/;

function derive(password: string, salt: Buffer, keyBytes: number, { logN, r, p }: Parameters): Promise<Buffer> {
  const N = 2 ** logN;
  // scrypt needs 128·N·r bytes; node's default cap (32 MiB) is exactly that for N = 2^15, r = 8: leave room.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const encode = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string): Promise<string> {
  const { logN, r, p, saltBytes, keyBytes } = SCRYPT_PARAMETERS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, keyBytes, SCRYPT_PARAMETERS);
  return `$scrypt$ln=${logN},r=${r},p=${p}$${encode(salt)}$${encode(key)}`;
}

function parse(stored: string): (Parameters & { salt: Buffer; key: Buffer }) | undefined {
  const match = PHC.exec(stored);
  if (!match) return undefined;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < 10 || logN > 20 || r < 1 || p < 1 || p > 16) return undefined;
  return { logN, r, p, salt: Buffer.from(match[4], 'base64'), key: Buffer.from(match[5], 'base64') };
}

/** True when `password` produces `stored`; false for a wrong password or an unreadable hash. Constant-time compare. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(key, parsed.key);
}

export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  const { logN, r, p } = SCRYPT_PARAMETERS;
  return !parsed || parsed.logN !== logN || parsed.r !== r || parsed.p !== p;
}
