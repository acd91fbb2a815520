import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * The authorization server's users and clients. No password or client secret
 * is written anywhere: each is generated at start-up, only its hash is kept
 * for verification, and the traffic generator is handed the clear values in
 * memory, as a person would remember a password.
 */
export type Role = 'USER' | 'MANAGER' | 'ADMIN';
export type DemoUser = { username: string; subject: string; roles: Role[]; disabled: boolean; password: string; salt: Buffer; hash: Buffer };
export type Grant = 'password' | 'client_credentials' | 'refresh_token';
export type DemoClient = {
  id: string;
  secret: string;
  secretHash: Buffer;
  grants: Grant[];
  scopes: string[];
  audience: string;
  lifetimeSeconds: number;
};

export const API_AUDIENCE = 'demo-api';

export const SCOPES_BY_ROLE: Record<Role, string[]> = {
  USER: ['orders:read', 'orders:write'],
  MANAGER: ['orders:read', 'orders:write', 'payments:read', 'customers:read'],
  ADMIN: ['orders:read', 'orders:write', 'payments:read', 'payments:write', 'customers:read', 'customers:write', 'admin'],
};

const USERS: [string, Role[], boolean?][] = [
  ['alice', ['USER']],
  ['bob', ['USER']],
  ['carol', ['MANAGER']],
  ['dave', ['USER']],
  ['erin', ['ADMIN']],
  ['frank', ['USER']],
  ['grace', ['USER']],
  ['heidi', ['USER'], true],
];

const USER_SCOPES = SCOPES_BY_ROLE.ADMIN;
const CLIENTS: Omit<DemoClient, 'secret' | 'secretHash'>[] = [
  { id: 'web-app', grants: ['password', 'refresh_token'], scopes: USER_SCOPES, audience: API_AUDIENCE, lifetimeSeconds: 300 },
  // Kiosk sessions are short on purpose: their stale tokens are the demo's storm of expired tokens.
  { id: 'kiosk', grants: ['password'], scopes: ['orders:read'], audience: API_AUDIENCE, lifetimeSeconds: 8 },
  { id: 'orders-batch', grants: ['client_credentials'], scopes: ['orders:read', 'payments:read'], audience: API_AUDIENCE, lifetimeSeconds: 300 },
  { id: 'partner-sync', grants: ['client_credentials'], scopes: ['customers:read', 'orders:read'], audience: API_AUDIENCE, lifetimeSeconds: 300 },
  // Misconfigured: a 30-day access token, the mistake the long_lived_token rule exists for.
  { id: 'legacy-batch', grants: ['client_credentials'], scopes: ['orders:read'], audience: API_AUDIENCE, lifetimeSeconds: 30 * 86_400 },
  // Tokens for another API: presented to the gateway they have the wrong audience.
  { id: 'reporting', grants: ['client_credentials'], scopes: ['reports:read'], audience: 'reporting-api', lifetimeSeconds: 300 },
];

const secret = () => randomBytes(24).toString('base64url');
const sha256 = (value: string) => createHash('sha256').update(value).digest();
const SCRYPT = { N: 16_384, r: 8, p: 1 };

export type Directory = {
  users: Map<string, DemoUser>;
  clients: Map<string, DemoClient>;
  verifyPassword(user: DemoUser | undefined, password: string): Promise<boolean>;
  verifyClientSecret(client: DemoClient, presented: string): boolean;
};

export function createDirectory(): Directory {
  const users = new Map(
    USERS.map(([username, roles, disabled]) => {
      const password = secret();
      const salt = randomBytes(16);
      const hash = scryptSync(password, salt, 32, SCRYPT);
      return [username, { username, subject: `user-${username}`, roles, disabled: disabled ?? false, password, salt, hash }];
    }),
  );
  const clients = new Map(
    CLIENTS.map((client) => {
      const clientSecret = secret();
      return [client.id, { ...client, secret: clientSecret, secretHash: sha256(clientSecret) }];
    }),
  );
  // An unknown user costs the same scrypt as a known one, so timing does not tell them apart.
  const decoy = { salt: randomBytes(16), hash: randomBytes(32) };
  return {
    users,
    clients,
    verifyPassword: (user, password) =>
      new Promise((resolve) => {
        const { salt, hash } = user ?? decoy;
        scrypt(password.slice(0, 256), salt, 32, SCRYPT, (error, derived) => resolve(!error && timingSafeEqual(derived, hash) && !!user));
      }),
    verifyClientSecret: (client, presented) => timingSafeEqual(sha256(presented), client.secretHash),
  };
}
