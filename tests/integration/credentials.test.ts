import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../helpers/events';
import { errorCode, get, ingestResult, postEvents, type Reply } from '../helpers/http';
import { insertExpiredKey, provisionService, revokeKey, storedEvents, type Provisioned } from '../helpers/provision';
import { makeTempDir, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let gateway: Provisioned;
const replies: Reply[] = [];
const presentedKeys: string[] = [];

async function post(key: string, body: unknown = makeEvent()): Promise<Reply> {
  presentedKeys.push(key);
  const reply = await postEvents(server.url, body, { key });
  replies.push(reply);
  return reply;
}

beforeAll(async () => {
  server = await startServer();
  gateway = provisionService(server.dbFile, 'gateway');
});
afterAll(async () => server?.dispose());

describe('ingest credentials', () => {
  it('answers 403 ERR_CREDENTIAL_REVOKED once a key is revoked, and stores nothing', async () => {
    const doomed = provisionService(server.dbFile, 'gateway');
    expect((await post(doomed.key)).status).toBe(200);
    revokeKey(server.dbFile, doomed.keyId);
    const event = makeEvent();
    const reply = await post(doomed.key, event);
    expect(reply.status).toBe(403);
    expect(errorCode(reply)).toBe('ERR_CREDENTIAL_REVOKED');
    expect(storedEvents(server.dbFile, gateway.serviceId).map((stored) => stored.id)).not.toContain(event.id);
  });

  it('answers 403 ERR_CREDENTIAL_EXPIRED to an expired key', async () => {
    const expired = insertExpiredKey(server.dbFile, 'gateway');
    const reply = await post(expired.key);
    expect(reply.status).toBe(403);
    expect(errorCode(reply)).toBe('ERR_CREDENTIAL_EXPIRED');
  });

  it('keeps the other keys of a service working while one is revoked (rotation)', async () => {
    const next = provisionService(server.dbFile, 'gateway');
    const old = provisionService(server.dbFile, 'gateway');
    revokeKey(server.dbFile, old.keyId);
    expect((await post(old.key)).status).toBe(403);
    expect(ingestResult(await post(next.key)).accepted).toBe(1);
  });

  it('hides revocation from a caller who does not hold the secret', async () => {
    const revoked = provisionService(server.dbFile, 'gateway');
    revokeKey(server.dbFile, revoked.keyId);
    const guessed = `aw_${revoked.keyId}_${'C'.repeat(43)}`;
    const reply = await post(guessed);
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe('ERR_AUTH_INVALID');
  });

  it('never echoes a presented credential in a response body or the server log', async () => {
    const revoked = provisionService(server.dbFile, 'gateway');
    revokeKey(server.dbFile, revoked.keyId);
    const expired = insertExpiredKey(server.dbFile, 'gateway');
    const statuses = [
      (await post(gateway.key)).status,
      (await post(gateway.key, '{"broken": ')).status,
      (await post(gateway.key, [])).status,
      (await post(revoked.key)).status,
      (await post(expired.key)).status,
      (await post(`aw_${gateway.keyId}_${'D'.repeat(43)}`)).status,
      (await post('definitely-not-a-key-but-secret-ish')).status,
    ];
    expect(statuses).toEqual([200, 400, 400, 403, 403, 401, 401]);
    const logs = server.logs().join('\n');
    for (const key of presentedKeys) {
      const secret = key.startsWith('aw_') ? key.slice(-43) : key;
      for (const reply of replies) expect(reply.text).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});

describe('the authwatch CLI', () => {
  it('registers a service and prints a working key without a server, alone on stdout', async () => {
    const dir = makeTempDir();
    const dbFile = path.join(dir, 'cli.db');
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/authwatch.js', ...args], {
        cwd: path.resolve(__dirname, '..', '..'),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', AUTHWATCH_DB: dbFile },
        encoding: 'utf8',
        timeout: 60_000,
      });
    let cliServer: RunningServer | undefined;
    try {
      expect(cli('services', 'add', 'payments').status).toBe(0);
      const created = cli('keys', 'create', 'payments');
      expect(created.status).toBe(0);
      const key = created.stdout.trim();
      expect(key).toMatch(/^aw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.stdout).toBe(`${key}\n`);
      expect(cli('keys', 'create', 'nobody').status).toBe(1);

      cliServer = await startServer({ dbFile });
      const reply = await postEvents(cliServer.url, makeEvent({ service: 'payments' }), { key });
      expect(ingestResult(reply).accepted).toBe(1);
      expect((await get(cliServer.url, '/api/ready')).status).toBe(200);

      // Listing shows status but never the secret; a revoked key stops working at once.
      const listed = JSON.parse(cli('keys', 'list', '--json').stdout) as { id: string; service: string; status: string }[];
      expect(listed).toEqual([expect.objectContaining({ service: 'payments', status: 'active' })]);
      expect(cli('keys', 'list').stdout).not.toContain(key.slice(16));
      expect(cli('keys', 'revoke', listed[0].id).status).toBe(0);
      expect(JSON.parse(cli('keys', 'list', '--json').stdout)[0].status).toBe('revoked');
      expect(errorCode(await postEvents(cliServer.url, makeEvent(), { key }))).toBe('ERR_CREDENTIAL_REVOKED');
      expect(fs.readFileSync(dbFile).includes(key.slice(16))).toBe(false);
    } finally {
      await cliServer?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
