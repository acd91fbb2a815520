import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';

/**
 * ES256 signing keys with rotation: every `rotationMs` a new key with a new
 * `kid` signs new tokens, while the previous keys stay in the JWKS for
 * `drainMs` so tokens they signed keep validating until they expire.
 */
type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK; retiredAt?: number };

export type SigningKeys = {
  current(): { kid: string; privateKey: CryptoKey };
  jwks(): JSONWebKeySet;
  /** Public keys (current and draining), for checking tokens this server issued. */
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
  let keys: SigningKey[] = [await newKey()];
  const rotate = async () => {
    const now = Date.now();
    const next = await newKey();
    keys = [next, ...keys.map((key) => ({ ...key, retiredAt: key.retiredAt ?? now })).filter((key) => now - (key.retiredAt as number) < drainMs)];
  };
  const timer = setInterval(() => void rotate(), rotationMs);
  timer.unref();
  return {
    current: () => keys[0],
    jwks: () => ({ keys: keys.map((key) => key.publicJwk) }),
    publicKeys: () => keys.map((key) => key.publicJwk),
    rotate,
    stop: () => clearInterval(timer),
  };
}
