import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import { startAuthServer } from './auth-server/auth-server';
import { API_AUDIENCE } from './auth-server/directory';
import type { DemoConfig, DemoService } from './config';
import { startGateway } from './gateway/gateway';
import { pollRevocations } from './gateway/revocation-feed';
import { createJwksCache } from './jwt/jwks-cache';
import { createTokenVerifier } from './jwt/verify-token';
import { createDemoPki } from './pki/demo-pki';
import { createComponentReporter } from './report/component-reporter';
import { CUSTOMERS, ORDERS, PAYMENTS } from './services/endpoints';
import { startResourceServer } from './services/resource-server';
import { closeAgents } from './traffic/http-client';
import { runNormalTraffic } from './traffic/normal-traffic';
import { runScenarios, type ScenarioResult } from './traffic/schedule';
import { createWorld } from './traffic/world';
import type { ReporterStats } from '../lib/reporter';

/**
 * Starts the whole system on 127.0.0.1 — CA, authorization server (two nodes,
 * one with a clock running ahead), a staging authorization server production
 * does not trust, three internal services, the gateway, the traffic — and
 * stops it in the order that loses nothing: traffic first, then the servers,
 * then the reporters' flush.
 */
export type DemoSystem = {
  urls: { gateway: string; plaintextGateway: string; authServer: string };
  stop(): Promise<Record<DemoService, ReporterStats>>;
};

const CLOCK_AHEAD_MS = 120_000;

export async function startDemoSystem(config: DemoConfig, onScenario: (result: ScenarioResult) => void): Promise<DemoSystem> {
  const pki = await createDemoPki();
  if (config.caFile) fs.writeFileSync(config.caFile, pki.ca.cert);
  const reporters = Object.fromEntries(
    Object.entries(config.keys).map(([service, key]) => [service, createComponentReporter({ authwatchUrl: config.authwatchUrl, key, service, ackLog: config.ackLog })]),
  ) as Record<DemoService, ReturnType<typeof createComponentReporter>>;

  const auth = await startAuthServer({ identity: pki.servers.authServer, reporter: reporters['auth-server'], rotationMs: config.keyRotationMs, lockMs: config.lockMs });
  // The production issuer's second node, its NTP broken: its clock runs two minutes ahead.
  const skewedAuthUrl = await auth.addNode(pki.servers.authServer, CLOCK_AHEAD_MS);
  // Staging's authorization server is not watched by this authwatch: it reports nothing.
  const staging = await startAuthServer({ identity: pki.servers.authServer, reporter: { report: () => undefined }, rotationMs: config.keyRotationMs, lockMs: config.lockMs });
  // Each component keeps its own copy of the keys, as separate processes would.
  const verifier = () => createTokenVerifier({ jwks: createJwksCache(auth.jwksUrl, pki.ca.cert), issuer: auth.issuer, audience: API_AUDIENCE });
  const service = (name: 'orders' | 'payments' | 'customers', endpoints: typeof ORDERS) =>
    startResourceServer({ name, identity: pki.servers[name], ca: pki.ca.cert, verify: verifier(), reporter: reporters[name], endpoints });
  const [orders, payments, customers] = await Promise.all([service('orders', ORDERS), service('payments', PAYMENTS), service('customers', CUSTOMERS)]);
  const gateway = await startGateway({
    identity: pki.servers.gateway,
    clientIdentity: pki.gatewayClient,
    ca: pki.ca.cert,
    verify: verifier(),
    revocations: pollRevocations(`${auth.url}/oauth2/revocations`, pki.ca.cert),
    upstreams: { orders: orders.url, payments: payments.url, customers: customers.url },
    reporter: reporters.gateway,
  });

  const abort = new AbortController();
  // Every request of the traffic listens on this one signal.
  setMaxListeners(0, abort.signal);
  const world = createWorld({
    authUrl: auth.url,
    skewedAuthUrl,
    directory: auth.directory,
    staging: { authUrl: staging.url, directory: staging.directory },
    gatewayUrl: gateway.url,
    plaintextUrl: gateway.plaintextUrl,
    internal: { orders: orders.url, payments: payments.url, customers: customers.url },
    ca: pki.ca.cert,
    attacker: pki.attacker,
    signal: abort.signal,
  });
  const traffic = Promise.all([
    runNormalTraffic(world),
    runScenarios(world, { firstDelayMs: config.firstAttackDelayMs, spacingMs: config.attackSpacingMs, periodMs: config.attackPeriodMs, onResult: onScenario }),
  ]);

  return {
    urls: { gateway: gateway.url, plaintextGateway: gateway.plaintextUrl, authServer: auth.url },
    stop: async () => {
      abort.abort();
      await Promise.race([traffic, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      closeAgents();
      await Promise.all([gateway.stop(), orders.stop(), payments.stop(), customers.stop(), auth.stop(), staging.stop()]);
      const stats = await Promise.all(Object.entries(reporters).map(async ([name, reporter]) => [name, await reporter.close(8_000)] as const));
      return Object.fromEntries(stats) as Record<DemoService, ReporterStats>;
    },
  };
}
