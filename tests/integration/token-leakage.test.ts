import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../helpers/events';
import { get, ingestResult, postEvents } from '../helpers/http';
import { parsePrometheus, valueOf } from '../helpers/metrics';
import { provisionService, withReader, type Provisioned } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let gateway: Provisioned;

beforeAll(async () => {
  server = await startServer();
  gateway = provisionService(server.dbFile, 'gateway');
});
afterAll(async () => server?.dispose());

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6MTk5OTk5OTk5OX0.c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1iZS1zdG9yZWQ';
const PASSWORD = 'Hunter2-Sup3rS3cret';

async function redactionsCounted(): Promise<number> {
  const scrape = await get(server.url, '/api/metrics');
  return valueOf(parsePrometheus(scrape.text), 'authwatch_ingest_redactions_total', { service: 'gateway' });
}

function everyStoredDocument(): string {
  return withReader(server.dbFile, (reader) =>
    reader
      .listEvents({ serviceIds: [gateway.serviceId], limit: 10_000 })
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
    expect(ingestResult(await postEvents(server.url, leaky, { key: gateway.key })).accepted).toBe(1);

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
    const result = ingestResult(await postEvents(server.url, events, { key: gateway.key }));
    expect(result).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const documents = everyStoredDocument();
    for (const secret of secrets) expect(documents).not.toContain(secret);
  });

  it('leaves no raw secret anywhere in the database files', async () => {
    await server.stop();
    for (const suffix of ['', '-wal']) {
      const file = `${server.dbFile}${suffix}`;
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file).toString('latin1');
      expect(bytes.includes(JWT)).toBe(false);
      expect(bytes.includes(PASSWORD)).toBe(false);
    }
  });
});
