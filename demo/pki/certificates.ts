import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * The demo's own certificate authorities, made in memory at start-up (ECDSA
 * P-256), so no certificate or key is ever committed. Only CA certificates,
 * which are public, are written to disk, for people who want to curl the gateway.
 */
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const HOUR = 3_600_000;

export type Identity = { cert: string; key: string; subject: string; fingerprint: string };
export type Authority = { name: string; cert: string; issue(request: IssueRequest): Promise<Identity> };
export type IssueRequest = {
  commonName: string;
  /** `server` adds 127.0.0.1 as an IP SAN; `client` adds `spiffe://demo.local/<commonName>` as a URI SAN. */
  usage: 'server' | 'client';
  notBefore?: Date;
  notAfter?: Date;
};

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(2, '0');

export async function createAuthority(name: string): Promise<Authority> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - HOUR),
    notAfter: new Date(Date.now() + 30 * 24 * HOUR),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return {
    name,
    cert: caCert.toString('pem'),
    issue: async (request) => {
      const leafKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
      const server = request.usage === 'server';
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: nextSerial(),
        subject: `CN=${request.commonName}`,
        issuer: caCert.subject,
        notBefore: request.notBefore ?? new Date(Date.now() - HOUR),
        notAfter: request.notAfter ?? new Date(Date.now() + 30 * 24 * HOUR),
        signingKey: keys.privateKey,
        publicKey: leafKeys.publicKey,
        signingAlgorithm: ALGORITHM,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
          new x509.SubjectAlternativeNameExtension(
            server ? [{ type: 'ip', value: '127.0.0.1' }] : [{ type: 'url', value: `spiffe://demo.local/${request.commonName}` }],
          ),
        ],
      });
      const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey)).toString('base64');
      return {
        cert: cert.toString('pem'),
        key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n`,
        subject: `CN=${request.commonName}`,
        fingerprint: createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex'),
      };
    },
  };
}
