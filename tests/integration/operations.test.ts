import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceWithKey, loginFailure, postEvents, withStore } from '../helpers/fixtures';
import { makeTempDirectory, startServer, type RunningServer } from '../helpers/server';

const ROOT = path.resolve(import.meta.dirname, '../..');
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.stop('SIGKILL');
  server?.remove();
  server = undefined;
});

/** Starts a POST whose body arrives in two parts; `finish` sends the rest and resolves to the answer. */
function slowPost(url: string, key: string, body: string) {
  const target = new URL('/api/v1/events', url);
  const request = http.request(target, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  request.write(body.slice(0, half));
  return {
    finish: () => {
      request.end(body.slice(half));
      return answer;
    },
  };
}

describe('operations', () => {
  it('answers 503 ERR_STORE_BUSY with Retry-After while the database is locked, and not ready; recovers after', async () => {
    server = await startServer({ env: { AUTHWATCH_SQLITE_BUSY_TIMEOUT_MS: '100' } });
    const { key } = createServiceWithKey(server.dbFile, 'gateway');
    const event = loginFailure();
    const locker = new Database(server.dbFile);
    locker.exec('BEGIN IMMEDIATE');
    try {
      const busy = await postEvents(server.url, key, event);
      expect(busy.status).toBe(503);
      expect(busy.body.error?.code).toBe('ERR_STORE_BUSY');
      expect(busy.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${server.url}/api/ready`)).status).toBe(503);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    const retried = await postEvents(server.url, key, event);
    expect(retried.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('writes one JSON access line per request, without credentials or event bodies', async () => {
    server = await startServer();
    const { key } = createServiceWithKey(server.dbFile, 'gateway');
    const marker = 'body-marker-7f3a';
    await postEvents(server.url, key, loginFailure({ actor: { username: marker } }));
    await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': 'trace-abc.123' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = server
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ingest = lines.find((line) => line.msg === 'request' && line.route === '/api/v1/events');
    expect(ingest).toMatchObject({ level: 'info', method: 'POST', status: 200, requestId: expect.any(String), durationMs: expect.any(Number) });
    expect(lines.findLast((line) => line.route === '/api/health')?.requestId).toBe('trace-abc.123');
    expect(server.logs()).not.toContain(marker);
    expect(server.logs()).not.toContain(key.slice(16));
  });

  it('on SIGTERM finishes the request in flight, stores its events, closes the database and exits 0', async () => {
    server = await startServer();
    const { key } = createServiceWithKey(server.dbFile, 'gateway');
    const events = Array.from({ length: 20 }, () => loginFailure());
    const inFlight = slowPost(server.url, key, JSON.stringify(events));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = server.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answer = await inFlight.finish();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).accepted).toBe(20);
    expect(await exited).toBe(0);
    expect(fs.existsSync(`${server.dbFile}-wal`)).toBe(false);
    expect(withStore(server.dbFile, (store) => store.countEvents({}))).toBe(20);
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
  });

  it('runs the CLI against the database without a server', () => {
    const { directory, dbFile } = makeTempDirectory();
    try {
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ['bin/authwatch.js', ...args], { cwd: ROOT, env: { ...process.env, AUTHWATCH_DB: dbFile }, encoding: 'utf8' });
      expect(cli('services', 'add', 'billing').status).toBe(0);
      const created = cli('keys', 'create', 'billing', '--expires', '90d');
      expect(created.status).toBe(0);
      expect(created.stdout).toMatch(/^aw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/);
      const listed = JSON.parse(cli('keys', 'list', '--json').stdout) as { id: string; status: string }[];
      expect(listed).toEqual([expect.objectContaining({ service: 'billing', status: 'active' })]);
      expect(cli('keys', 'list').stdout).not.toContain(created.stdout.trim().slice(16));
      expect(cli('keys', 'revoke', listed[0].id).status).toBe(0);
      expect(JSON.parse(cli('keys', 'list', '--json').stdout)[0].status).toBe('revoked');
      expect(cli('services', 'add', 'Not Valid').status).toBe(1);
      expect(cli('keys', 'create', 'nobody').stderr).toContain('ERR_SERVICE_UNKNOWN');
      expect(fs.readFileSync(dbFile).includes(created.stdout.trim().slice(16))).toBe(false);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
