import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn } from '../helpers/accounts';
import { makeEvent } from '../helpers/events';
import { postEvents } from '../helpers/http';
import { startServer, type RunningServer } from '../helpers/server';

/** `npx authwatch users …` and `tokens …` beside a running server, and the audit log they leave. */
let server: RunningServer;
const PASSWORD = 'glacier-violet-tuesday-41';

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, ['bin/authwatch.js', ...args], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', AUTHWATCH_DB: server.dbFile, PORT: '4123' },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.dispose());

describe('the users and tokens commands', () => {
  it('adds a user with a password from stdin, printing nothing on stdout, who can then sign in', async () => {
    const added = cli(['users', 'add', 'Root@Example.com', '--role', 'ADMIN', '--password-stdin'], `${PASSWORD}\n`);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toBe('');
    expect(added.stderr).not.toContain(PASSWORD);
    expect((await signIn(server.url, 'root@example.com', PASSWORD)).reply.status).toBe(200);
    const weak = cli(['users', 'add', 'weak@example.com', '--role', 'USER', '--password-stdin'], 'password1234\n');
    expect([weak.status, weak.stderr]).toEqual([1, expect.stringContaining('ERR_PASSWORD_COMMON')]);
  });

  it('invites a user with a one-time setup link alone on stdout', async () => {
    const invited = cli(['users', 'add', 'bob@example.com', '--role', 'USER']);
    expect(invited.status, invited.stderr).toBe(0);
    expect(invited.stdout).toMatch(/^http:\/\/localhost:4123\/setup#awl_[A-Za-z0-9_-]{43}\n$/);
    const token = invited.stdout.trim().split('#')[1];
    const preview = await call(server.url, 'POST', '/api/setup/preview', { body: { token }, origin: server.url });
    expect(preview.json).toEqual({ purpose: 'invite', email: 'bob@example.com', role: 'USER' });
    expect(cli(['users', 'add', 'bob@example.com', '--role', 'USER']).stderr).toContain('ERR_USER_EXISTS');
    expect(cli(['users', 'add', 'carol@example.com', '--role', 'ROOT']).status).toBe(1);
  });

  it('lists, changes roles and disables users; the last ADMIN stays', () => {
    expect(cli(['users', 'set-role', 'bob@example.com', 'MANAGER']).status).toBe(0);
    expect(cli(['users', 'disable', 'root@example.com']).stderr).toContain('ERR_LAST_ADMIN');
    expect(cli(['users', 'disable', 'bob@example.com']).status).toBe(0);
    const users = JSON.parse(cli(['users', 'list', '--json']).stdout) as { email: string; role: string; status: string }[];
    expect(users.map(({ email, role, status }) => [email, role, status])).toEqual([
      ['bob@example.com', 'MANAGER', 'disabled'],
      ['root@example.com', 'ADMIN', 'active'],
    ]);
    expect(JSON.stringify(users)).not.toContain('scrypt');
  });

  it('creates an API token alone on stdout that reads but never ingests, lists it without its secret, and revokes it', async () => {
    const created = cli(['tokens', 'create', '--role', 'USER', '--name', 'soar', '--expires', '30d']);
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(created.stdout).toMatch(/^awt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/);
    expect((await call(server.url, 'GET', '/api/v1/me', { bearer: token })).json).toEqual({ kind: 'token', id: token.slice(4, 16), name: 'soar', role: 'USER' });
    expect((await postEvents(server.url, makeEvent(), { key: token })).status).toBe(401);
    const listed = JSON.parse(cli(['tokens', 'list', '--json']).stdout) as { id: string; status: string; lastUsedAt: number | null }[];
    expect(listed).toEqual([expect.objectContaining({ id: token.slice(4, 16), status: 'active', lastUsedAt: expect.any(Number) })]);
    expect(cli(['tokens', 'list']).stdout).not.toContain(token.slice(-43));
    expect(cli(['tokens', 'revoke', token.slice(4, 16)]).status).toBe(0);
    expect((await call(server.url, 'GET', '/api/v1/me', { bearer: token })).status).toBe(403);
    expect(cli(['tokens', 'create', '--role', 'USER', '--name', 'forever', '--expires', '400d']).status).toBe(1);
  });

  it('refuses an ingest key for the reserved service authwatch', () => {
    const refused = cli(['keys', 'create', 'authwatch']);
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringContaining('ERR_SERVICE_RESERVED')]);
  });

  it('records when each ingest key was last used, shown at once and written by shutdown', async () => {
    expect(cli(['services', 'add', 'gateway']).status).toBe(0);
    const key = cli(['keys', 'create', 'gateway']).stdout.trim();
    const admin = (await signIn(server.url, 'root@example.com', PASSWORD)).cookie;
    const before = Date.now();
    expect((await postEvents(server.url, makeEvent(), { key })).status).toBe(200);
    const keys = (await call(server.url, 'GET', '/api/v1/keys', { cookie: admin })).json as { keys: { id: string; lastUsedAt: number | null }[] };
    expect(keys.keys.find((k) => k.id === key.slice(3, 15))?.lastUsedAt).toBeGreaterThanOrEqual(before);
    await server.stop();
    const listed = JSON.parse(cli(['keys', 'list', '--json']).stdout) as { id: string; lastUsedAt: number | null }[];
    expect(listed.find((k) => k.id === key.slice(3, 15))?.lastUsedAt).toBeGreaterThanOrEqual(before);
  });

  it('leaves every change in the audit log, with who made it', () => {
    const db = new Database(server.dbFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT actor_label, action, target FROM audit_log ORDER BY id').all() as { actor_label: string; action: string; target: string }[];
      const actions = rows.map((row) => `${row.actor_label.replace(/^cli:.*/, 'cli')} ${row.action} ${row.target}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'authwatch first_admin_link.issued first ADMIN',
          'cli user.created root@example.com',
          'cli user.invited bob@example.com',
          'cli user.role_changed bob@example.com',
          'cli user.disabled bob@example.com',
          'cli api_token.created ' + rows.find((row) => row.action === 'api_token.created')?.target,
          'cli api_token.revoked ' + rows.find((row) => row.action === 'api_token.revoked')?.target,
          'cli service.added gateway',
        ]),
      );
      expect(actions.filter((action) => action.includes('user.disabled'))).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
