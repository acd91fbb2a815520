import { createApiToken } from '@/lib/auth/manage-api-tokens';
import type { Role } from '@/lib/auth/roles';
import { addUser } from '@/lib/users/manage-users';
import { createSqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { toReply, type Reply } from './http';
import { withStore } from './provision';

/** People and tokens for tests, made through the lib verbs on the database file, as the CLI would. */
const TESTER = { kind: 'cli', label: 'integration-test' } as const;
const REQUEST_TIMEOUT_MS = 30_000;

export async function createUser(dbFile: string, email: string, role: Role, password: string): Promise<void> {
  const store = createSqliteStore({ file: dbFile, synchronous: 'FULL', busyTimeoutMs: 5_000, cacheMegabytes: 8 });
  try {
    await addUser({ ctx: { store, now: Date.now() }, actor: TESTER, input: { email, role, password } });
  } finally {
    store.close();
  }
}

export function createToken(dbFile: string, role: Role, name = `${role.toLowerCase()}-token`): { id: string; token: string } {
  return withStore(dbFile, (store) => createApiToken({ ctx: { store, now: Date.now() }, actor: TESTER, input: { name, role } }));
}

export type CallOptions = {
  /** A session cookie (`name=value`), sent with the server's own Origin unless `origin` says otherwise. */
  cookie?: string;
  bearer?: string;
  body?: unknown;
  /** The Origin header: the server's own by default when a cookie is sent; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
};

/** One API call as a browser page (cookie and Origin) or an automation client (bearer) makes it. */
export async function call(url: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const origin = options.origin === undefined ? (options.cookie ? url : null) : options.origin;
  if (origin !== null) headers.origin = origin;
  if (options.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return toReply(response);
}

/** The `name=value` of the session cookie a response set, or undefined. */
export function sessionCookieOf(reply: Reply): string | undefined {
  const header = reply.headers.getSetCookie().find((cookie) => /authwatch_session=aws_/.test(cookie));
  return header?.split(';')[0];
}

export async function signIn(url: string, email: string, password: string): Promise<{ reply: Reply; cookie: string | undefined }> {
  const reply = await call(url, 'POST', '/api/session', { body: { email, password }, origin: url });
  return { reply, cookie: sessionCookieOf(reply) };
}
