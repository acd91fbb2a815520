import type { TLSSocket } from 'node:tls';
import type { REASONS_BY_TYPE } from '../../lib/events/catalog';

/**
 * Who is calling, by its client certificate. The TLS handshake accepts any
 * certificate (`rejectUnauthorized: false`) so that each refusal can be
 * answered and reported with its precise reason instead of a reset connection.
 */
export type MtlsRejection = (typeof REASONS_BY_TYPE)['mtls.rejected'][number];
export type MtlsCheck =
  | { ok: true; subject: string; fingerprint: string }
  | { ok: false; reason: MtlsRejection; subject?: string; fingerprint?: string };

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

export function checkClientCertificate(socket: TLSSocket, expectedCommonName: string): MtlsCheck {
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return { ok: false, reason: 'no_client_cert' };
  const commonName = typeof peer.subject?.CN === 'string' ? peer.subject.CN : '';
  const evidence = { subject: `CN=${commonName}`.slice(0, 512), fingerprint: (peer.fingerprint256 ?? '').slice(0, 256) };
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? '');
    if (code === 'CERT_HAS_EXPIRED') return { ok: false, reason: 'cert_expired', ...evidence };
    return { ok: false, reason: UNTRUSTED.has(code) ? 'untrusted_ca' : 'other', ...evidence };
  }
  if (commonName !== expectedCommonName) return { ok: false, reason: 'identity_mismatch', ...evidence };
  return { ok: true, ...evidence };
}
