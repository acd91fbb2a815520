import { createAuthority, type Authority, type Identity } from './certificates';

const MINUTE = 60_000;

/**
 * Every certificate the demo uses. The honest ones come from the demo CA. The
 * attacker holds one from a CA of its own making, an expired gateway
 * certificate, another service's real certificate, and the gateway's server
 * certificate (which is not a client certificate).
 */
export type DemoPki = {
  ca: Authority;
  servers: { authServer: Identity; gateway: Identity; orders: Identity; payments: Identity; customers: Identity };
  /** The gateway's client certificate for mTLS to the internal services. */
  gatewayClient: Identity;
  attacker: {
    /** CN=gateway, signed by the attacker's own CA. */
    rogueGateway: Identity;
    /** The customers service's real client certificate, presented to payments as if it were the gateway. */
    customersClient: Identity;
    /** A gateway certificate from the demo CA that expired yesterday. */
    expiredGateway: Identity;
    /** The gateway's TLS server certificate and key, leaked from its configuration: CN=gateway, but not for client authentication. */
    leakedGatewayServer: Identity;
  };
};

export async function createDemoPki(): Promise<DemoPki> {
  const ca = await createAuthority('authwatch demo CA');
  const rogueCa = await createAuthority('Internal Services CA');
  const server = (commonName: string) => ca.issue({ commonName, usage: 'server' });
  const [authServer, gateway, orders, payments, customers] = await Promise.all(
    ['auth-server', 'gateway', 'orders', 'payments', 'customers'].map(server),
  );
  return {
    ca,
    servers: { authServer, gateway, orders, payments, customers },
    gatewayClient: await ca.issue({ commonName: 'gateway', usage: 'client' }),
    attacker: {
      rogueGateway: await rogueCa.issue({ commonName: 'gateway', usage: 'client' }),
      customersClient: await ca.issue({ commonName: 'customers', usage: 'client' }),
      expiredGateway: await ca.issue({
        commonName: 'gateway',
        usage: 'client',
        notBefore: new Date(Date.now() - 2 * 24 * 60 * MINUTE),
        notAfter: new Date(Date.now() - 24 * 60 * MINUTE),
      }),
      leakedGatewayServer: gateway,
    },
  };
}
