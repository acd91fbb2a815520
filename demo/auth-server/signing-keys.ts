import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';

/**
 * ES256 signing keys, rotated the way that breaks nobody: the next key is
 * published in the JWKS one rotation before it signs anything, so resource
 * servers that refresh their copy (every 30 s here) know a new `kid` before the
 * first token carrying it; retired keys stay published for `drainMs` so the
 * tokens they signed keep validating until they expire.
 */
type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK; retiredAt?: number };

export type SigningKeys = {
  current(): { kid: string; privateKey: CryptoKey };
  jwks(): JSONWebKeySet;
  /** Public keys (current, next and draining), for checking tokens this server issued. */
  publicKeys(): JWK[];
  rotate(): Promise<void>;
  stop(): void;
};

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `demo-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(3).toString('hex')}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export async function createSigningKeys(rotationMs: number, drainMs: number): Promise<SigningKeys> {
  let current = await newKey();
  let next = await newKey();
  let retired: SigningKey[] = [];
  const published = () => [current, next, ...retired].map((key) => key.publicJwk);
  const rotate = async () => {
    const now = Date.now();
    retired = [{ ...current, retiredAt: now }, ...retired].filter((key) => now - (key.retiredAt as number) < drainMs);
    current = next;
    next = await newKey();
  };
  const timer = setInterval(() => void rotate(), rotationMs);
  timer.unref();
  return {
    current: () => current,
    jwks: () => ({ keys: published() }),
    publicKeys: published,
    rotate,
    stop: () => clearInterval(timer),
  };
}
