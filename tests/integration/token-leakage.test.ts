import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../helpers/events';
import { get, ingestResult, postEvents } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { withReader } from '../helpers/provision';
import { withGatewayServer } from '../helpers/gateway-server';

const live = withGatewayServer();

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6MTk5OTk5OTk5OX0.c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1iZS1zdG9yZWQ';
const PASSWORD = 'Hunter2-Sup3rS3cret';

/** One credential of each class the guard knows, each unique, so finding it anywhere in the files is a leak. */
const CANARY = {
  jsonPassword: 'Canary-JsonPw-7f3a91',
  jsonAccessToken: 'CanaryJsonAT9b2c4d',
  pem: 'MIIEowIBAAKCAQEAcanaryPemBody0123456789',
  github: 'ghp_CanaryGh0123456789abcdefghijKLMNOPqr',
  aws: 'AKIACANARY234567ABCD',
  slack: 'xoxb-1234567890-1234567890-CanarySlackTokenABCD',
  stripe: 'sk_live_CanaryStripe0123456789',
  passphrase: 'CanaryPassphrase42',
  privateKey: 'CanaryPrivKeyValue77',
  awsSecret: 'CanaryAwsSecret/K7MDENG/bPxRfiCY',
  clientSecret: 'CanaryClientSecret55',
  sid: 'CanarySidValue991',
  jsessionid: 'CANARYJSESSION4C3B2A',
  urlEncoded: 'CanaryUrlEncPw31',
  queryToken: 'CanaryQueryToken12',
  queryCode: 'CanaryQueryCode34',
  queryKey: 'CanaryQueryKey56',
  querySig: 'CanaryQuerySig78',
  bearer: 'CanaryBearer0a1b2c3d4e',
  basic: Buffer.from('canary-user:CanaryBasicPw').toString('base64'),
  secretId: 'CanarySecretId0042',
};

async function redactionsCounted(): Promise<number> {
  const scrape = await get(live.server.url, '/api/metrics');
  return valueOf(parsePrometheus(scrape.text), 'authwatch_ingest_redactions_total', { service: 'gateway' });
}

function everyStoredDocument(): string {
  return withReader(live.server.dbFile, (reader) =>
    reader
      .listEvents({ serviceIds: [live.gateway.serviceId], limit: 10_000 })
      .events
      .map((event) => event.document)
      .join('\n'),
  );
}

describe('the token-leakage guard', () => {
  it('stores a JWT and a password redacted and counts the redactions', async () => {
    const before = await redactionsCounted();
    const leaky = makeEvent({
      source: { ip: '198.51.100.4', user_agent: `curl/8.0 (debug: ${JWT})` },
      attributes: { query: `user=alice&password=${PASSWORD}` },
    });
    expect(ingestResult(await postEvents(live.server.url, leaky, { key: live.gateway.key })).accepted).toBe(1);

    const documents = everyStoredDocument();
    expect(documents).toContain(leaky.id);
    expect(documents).not.toContain(JWT);
    expect(documents).not.toContain(PASSWORD);
    expect(documents).toContain('[REDACTED:jwt]');
    expect(await redactionsCounted()).toBe(before + 2);
  });

  it('never collapses distinct events whose ids look like secrets, and never stores those ids', async () => {
    const secrets = [`s3ss-${Date.now()}-a`, `s3ss-${Date.now()}-b`];
    const events = secrets.map((secret) => makeEvent({ id: `sessionid=${secret}` }));
    const result = ingestResult(await postEvents(live.server.url, events, { key: live.gateway.key }));
    expect(result).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const documents = everyStoredDocument();
    for (const secret of secrets) expect(documents).not.toContain(secret);
  });

  it('redacts a credential of every class, in every string field and attribute name', async () => {
    const leaky = makeEvent({
      source: { ip: '198.51.100.4', user_agent: `agent (${CANARY.github}) Authorization: Bearer ${CANARY.bearer}` },
      actor: { username: `alice ${CANARY.aws}`, subject: `{"password":"${CANARY.jsonPassword}"}`, client_id: CANARY.stripe },
      target: { method: 'GET', path: `/cart;jsessionid=${CANARY.jsessionid}`, service: `sid=${CANARY.sid}` },
      token: { jti: `{"access_token":"${CANARY.jsonAccessToken}"}`, issuer: `https://idp.example/cb?code=${CANARY.queryCode}` },
      tls: { client_subject: `CN=x passphrase=${CANARY.passphrase}` },
      trace_id: `private_key=${CANARY.privateKey}`,
      attributes: {
        pem: `-----BEGIN RSA PRIVATE KEY-----\n${CANARY.pem}`,
        env: `aws_secret_access_key=${CANARY.awsSecret} client_secret=${CANARY.clientSecret}`,
        form: `user%3Dalice%26password%3D${CANARY.urlEncoded}`,
        url: `https://x.example/a?token=${CANARY.queryToken}&key=${CANARY.queryKey}&sig=${CANARY.querySig}`,
        header: `Basic ${CANARY.basic}`,
        [CANARY.slack]: 'a slack token as a name',
      },
    });
    const before = await redactionsCounted();
    expect(ingestResult(await postEvents(live.server.url, leaky, { key: live.gateway.key })).accepted).toBe(1);
    expect(await redactionsCounted()).toBeGreaterThanOrEqual(before + 18);
    const documents = everyStoredDocument();
    expect(documents).toContain(leaky.id);
    for (const [name, canary] of Object.entries(CANARY)) expect(documents.includes(canary), name).toBe(false);
  });

  it('stores an id that holds a credential as a digest, and its retry as a duplicate', async () => {
    const event = makeEvent({ id: `sessionid=${CANARY.secretId}` });
    expect(ingestResult(await postEvents(live.server.url, event, { key: live.gateway.key }))).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(ingestResult(await postEvents(live.server.url, event, { key: live.gateway.key }))).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(everyStoredDocument()).not.toContain(CANARY.secretId);
  });

  it('leaves no raw secret anywhere in the database files', async () => {
    await live.server.stop();
    for (const suffix of ['', '-wal']) {
      const file = `${live.server.dbFile}${suffix}`;
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file).toString('latin1');
      expect(bytes.includes(JWT)).toBe(false);
      expect(bytes.includes(PASSWORD)).toBe(false);
      for (const [name, canary] of Object.entries(CANARY)) expect(bytes.includes(canary), `${name} in ${file}`).toBe(false);
    }
  });
});
