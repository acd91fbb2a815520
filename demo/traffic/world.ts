import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoClient, DemoUser, Directory } from '../auth-server/directory';
import type { DemoPki } from '../pki/demo-pki';
import type { OAuthEndpoints } from './oauth-client';

/** What the traffic generator knows: where things are, the credentials people and services hold, the attacker's kit. */
export type World = {
  auth: OAuthEndpoints & { signal: AbortSignal };
  /** A second node of the same authorization server, whose clock runs ahead. */
  skewedAuth: OAuthEndpoints & { signal: AbortSignal };
  /** The staging authorization server: another issuer, with its own keys and clients, that production does not trust. */
  staging: { auth: OAuthEndpoints & { signal: AbortSignal }; client(id: string): DemoClient };
  gatewayUrl: string;
  plaintextUrl: string;
  internal: { orders: string; payments: string; customers: string };
  ca: string;
  attacker: DemoPki['attacker'];
  signal: AbortSignal;
  client(id: string): DemoClient;
  user(name: string): DemoUser;
  /** Waits, or throws an AbortError as soon as the demo stops. */
  pause(ms: number): Promise<void>;
};

export type WorldSettings = Omit<World, 'auth' | 'skewedAuth' | 'staging' | 'client' | 'user' | 'pause'> & {
  authUrl: string;
  skewedAuthUrl: string;
  directory: Directory;
  staging: { authUrl: string; directory: Directory };
};

export function createWorld({ authUrl, skewedAuthUrl, directory, staging, ...rest }: WorldSettings): World {
  const find = <T>(map: Map<string, T>, key: string): T => {
    const found = map.get(key);
    if (!found) throw new Error(`no demo identity ${key}`);
    return found;
  };
  return {
    ...rest,
    auth: { authUrl, ca: rest.ca, signal: rest.signal },
    skewedAuth: { authUrl: skewedAuthUrl, ca: rest.ca, signal: rest.signal },
    staging: { auth: { authUrl: staging.authUrl, ca: rest.ca, signal: rest.signal }, client: (id) => find(staging.directory.clients, id) },
    client: (id) => find(directory.clients, id),
    user: (name) => find(directory.users, name),
    pause: (ms) => sleep(ms, undefined, { signal: rest.signal }),
  };
}

/** One request an attack scenario made and the status the real component answered. */
export type Attempt = { label: string; status: number };
export type Scenario = { name: string; run(world: World): Promise<Attempt[]> };
