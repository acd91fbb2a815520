import type { Identity } from '../../pki/certificates';
import { call } from '../http-client';
import type { Attempt, Scenario } from '../world';

/**
 * Someone on the internal network calls the payments service directly,
 * bypassing the gateway, pretending to be it: with a certificate from a CA of
 * its own, with an expired gateway certificate, with the customers service's
 * real certificate, with the gateway's leaked server certificate, and with none.
 */
const FROM = '127.0.66.12';

export const serviceImpersonation: Scenario = {
  name: 'service_impersonation',
  run: async (world) => {
    const tries: [label: string, identity: Identity | undefined][] = [
      ['untrusted_ca', world.attacker.rogueGateway],
      ['cert_expired', world.attacker.expiredGateway],
      ['identity_mismatch', world.attacker.customersClient],
      // TLS refuses a certificate whose extended key usage is serverAuth only: "unsupported certificate purpose".
      ['wrong_purpose', world.attacker.leakedGatewayServer],
      ['no_client_cert', undefined],
    ];
    const attempts: Attempt[] = [];
    for (const [label, identity] of tries) {
      const reply = await call(`${world.internal.payments}/payments`, { from: FROM, identity, signal: world.signal });
      attempts.push({ label, status: reply.status });
    }
    return attempts;
  },
};
