import type Database from 'better-sqlite3';
import type { Role } from '../../auth/roles';
import type {
  AccountStore,
  ApiTokenRecord,
  SessionRecord,
  SetupLinkPurpose,
  SetupLinkRecord,
  ThrottleRecord,
  UserRecord,
  UserStatus,
} from '../accounts';
import { AuditTable } from './audit-table';
import { withSqliteErrors } from './sqlite-errors';

type UserRow = { id: number; email: string; role: Role; status: UserStatus; password_hash: string | null; created_at: number; updated_at: number };
type SessionRow = {
  token_hash: Buffer;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
};
type SetupLinkRow = { token_hash: Buffer; purpose: SetupLinkPurpose; user_id: number | null; created_at: number; expires_at: number; used_at: number | null };
type ApiTokenRow = {
  id: string;
  name: string;
  role: Role;
  secret_hash: Buffer;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
};
type ThrottleRow = { key: string; failures: number; window_started_at: number };

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: row.status,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
const toSession = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  ip: row.ip,
  userAgent: row.user_agent,
});
const toSetupLink = (row: SetupLinkRow): SetupLinkRecord => ({
  tokenHash: row.token_hash,
  purpose: row.purpose,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});
const toApiToken = (row: ApiTokenRow): ApiTokenRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  secretHash: row.secret_hash,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});
const toThrottle = (row: ThrottleRow): ThrottleRecord => ({ key: row.key, failures: row.failures, windowStartedAt: row.window_started_at });

const USER_COLUMNS = 'id, email, role, status, password_hash, created_at, updated_at';
const API_TOKEN_COLUMNS = 'id, name, role, secret_hash, created_at, expires_at, revoked_at, last_used_at';
const SESSION_COLUMNS = 's.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent';

function prepare(db: Database.Database) {
  return {
    countUsers: db.prepare('SELECT count(*) FROM users').pluck(),
    countActiveAdmins: db.prepare("SELECT count(*) FROM users WHERE role = 'ADMIN' AND status = 'active'").pluck(),
    insertUser: db.prepare(
      `INSERT INTO users (email, role, status, password_hash, created_at, updated_at)
       VALUES (@email, @role, @status, @passwordHash, @createdAt, @updatedAt)`,
    ),
    userById: db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = @id`),
    userByEmail: db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE email = @email`),
    users: db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY email`),
    setRole: db.prepare('UPDATE users SET role = @role, updated_at = @now WHERE id = @id'),
    setStatus: db.prepare('UPDATE users SET status = @status, updated_at = @now WHERE id = @id'),
    setPassword: db.prepare(
      "UPDATE users SET password_hash = @passwordHash, status = CASE status WHEN 'invited' THEN 'active' ELSE status END, updated_at = @now WHERE id = @id",
    ),

    insertSession: db.prepare(
      `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES (@tokenHash, @userId, @createdAt, @lastSeenAt, @expiresAt, @ip, @userAgent)`,
    ),
    sessionByHash: db.prepare(
      `SELECT ${SESSION_COLUMNS}, ${USER_COLUMNS.split(', ').map((column) => `u.${column} AS u_${column}`).join(', ')}
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = @tokenHash`,
    ),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = @now WHERE token_hash = @tokenHash AND last_seen_at < @now'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = @tokenHash'),
    deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = @userId'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= @now OR last_seen_at <= @now - @idleMs'),

    insertSetupLink: db.prepare(
      `INSERT INTO setup_links (token_hash, purpose, user_id, created_at, expires_at)
       VALUES (@tokenHash, @purpose, @userId, @createdAt, @expiresAt)`,
    ),
    setupLinkByHash: db.prepare('SELECT token_hash, purpose, user_id, created_at, expires_at, used_at FROM setup_links WHERE token_hash = @tokenHash'),
    useSetupLink: db.prepare('UPDATE setup_links SET used_at = @now WHERE token_hash = @tokenHash AND used_at IS NULL'),
    deleteUnusedSetupLinks: db.prepare(
      'DELETE FROM setup_links WHERE used_at IS NULL AND purpose = @purpose AND user_id IS @userId',
    ),

    insertApiToken: db.prepare(
      `INSERT INTO api_tokens (id, name, role, secret_hash, created_at, expires_at)
       VALUES (@id, @name, @role, @secretHash, @createdAt, @expiresAt)`,
    ),
    apiTokenById: db.prepare(`SELECT ${API_TOKEN_COLUMNS} FROM api_tokens WHERE id = @id`),
    apiTokens: db.prepare(`SELECT ${API_TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at DESC, id`),
    revokeApiToken: db.prepare('UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL'),
    touchApiToken: db.prepare('UPDATE api_tokens SET last_used_at = @now WHERE id = @id'),

    expireKeyBy: db.prepare('UPDATE ingest_keys SET expires_at = min(coalesce(expires_at, @at), @at) WHERE id = @id'),
    recordKeyUse: db.prepare(
      `INSERT INTO ingest_key_usage (key_id, last_used_at) SELECT @keyId, @at WHERE EXISTS (SELECT 1 FROM ingest_keys WHERE id = @keyId)
       ON CONFLICT (key_id) DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`,
    ),
    keyUses: db.prepare('SELECT key_id, last_used_at FROM ingest_key_usage'),

    throttleByKey: db.prepare('SELECT key, failures, window_started_at FROM signin_throttle WHERE key = @key'),
    writeThrottle: db.prepare(
      `INSERT INTO signin_throttle (key, failures, window_started_at) VALUES (@key, @failures, @windowStartedAt)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at`,
    ),
    deleteThrottleBefore: db.prepare('DELETE FROM signin_throttle WHERE window_started_at < @cutoff'),
  };
}

/** Splits a session row's `u_`-prefixed user columns from its own. */
function toSessionWithUser(row: Record<string, unknown>): { session: SessionRecord; user: UserRecord } {
  const user = Object.fromEntries(
    Object.entries(row)
      .filter(([column]) => column.startsWith('u_'))
      .map(([column, value]) => [column.slice(2), value]),
  ) as UserRow;
  return { session: toSession(row as SessionRow), user: toUser(user) };
}

/** The SQLite implementation of AccountStore; every statement prepared once, on the store's connection. */
export function createAccountTables(db: Database.Database): AccountStore {
  const sql = prepare(db);
  const audit = new AuditTable(db);
  const run = <T>(work: () => T): T => withSqliteErrors(work);

  return {
    transaction: (work) => run(() => db.transaction(work).immediate()),

    countUsers: () => run(() => sql.countUsers.get() as number),
    countActiveAdmins: () => run(() => sql.countActiveAdmins.get() as number),
    insertUser: (user) =>
      run(() => {
        const { lastInsertRowid } = sql.insertUser.run(user);
        return { ...user, id: Number(lastInsertRowid) };
      }),
    findUserById: (id) =>
      run(() => {
        const row = sql.userById.get({ id }) as UserRow | undefined;
        return row && toUser(row);
      }),
    findUserByEmail: (email) =>
      run(() => {
        const row = sql.userByEmail.get({ email }) as UserRow | undefined;
        return row && toUser(row);
      }),
    listUsers: () => run(() => (sql.users.all() as UserRow[]).map(toUser)),
    setUserRole: (id, role, now) => run(() => void sql.setRole.run({ id, role, now })),
    setUserStatus: (id, status, now) => run(() => void sql.setStatus.run({ id, status, now })),
    setUserPassword: (id, passwordHash, now) => run(() => void sql.setPassword.run({ id, passwordHash, now })),

    insertSession: (session) => run(() => void sql.insertSession.run(session)),
    findSession: (tokenHash) =>
      run(() => {
        const row = sql.sessionByHash.get({ tokenHash }) as Record<string, unknown> | undefined;
        return row && toSessionWithUser(row);
      }),
    touchSession: (tokenHash, now) => run(() => void sql.touchSession.run({ tokenHash, now })),
    deleteSession: (tokenHash) => run(() => void sql.deleteSession.run({ tokenHash })),
    deleteUserSessions: (userId) => run(() => sql.deleteUserSessions.run({ userId }).changes),
    deleteExpiredSessions: (now, idleMs) => run(() => sql.deleteExpiredSessions.run({ now, idleMs }).changes),

    insertSetupLink: (link) => run(() => void sql.insertSetupLink.run(link)),
    findSetupLink: (tokenHash) =>
      run(() => {
        const row = sql.setupLinkByHash.get({ tokenHash }) as SetupLinkRow | undefined;
        return row && toSetupLink(row);
      }),
    useSetupLink: (tokenHash, now) => run(() => sql.useSetupLink.run({ tokenHash, now }).changes > 0),
    deleteUnusedSetupLinks: (purpose, userId) => run(() => void sql.deleteUnusedSetupLinks.run({ purpose, userId })),

    insertApiToken: (token) => run(() => void sql.insertApiToken.run(token)),
    findApiToken: (id) =>
      run(() => {
        const row = sql.apiTokenById.get({ id }) as ApiTokenRow | undefined;
        return row && toApiToken(row);
      }),
    listApiTokens: () => run(() => (sql.apiTokens.all() as ApiTokenRow[]).map(toApiToken)),
    revokeApiToken: (id, now) => run(() => sql.revokeApiToken.run({ id, now }).changes > 0),
    touchApiToken: (id, now) => run(() => void sql.touchApiToken.run({ id, now })),

    expireIngestKeyBy: (id, at) => run(() => void sql.expireKeyBy.run({ id, at })),
    recordIngestKeyUses: (uses) =>
      run(() =>
        db.transaction(() => {
          for (const [keyId, at] of uses) sql.recordKeyUse.run({ keyId, at });
        })(),
      ),
    ingestKeyLastUses: () =>
      run(() => new Map((sql.keyUses.all() as { key_id: string; last_used_at: number }[]).map((row) => [row.key_id, row.last_used_at]))),

    appendAudit: (entry) => run(() => audit.append(entry)),
    listAudit: (query) => run(() => audit.list(query)),

    readThrottle: (keys) =>
      run(() => keys.flatMap((key) => {
        const row = sql.throttleByKey.get({ key }) as ThrottleRow | undefined;
        return row ? [toThrottle(row)] : [];
      })),
    writeThrottle: (records) =>
      run(() =>
        db.transaction(() => {
          for (const record of records) sql.writeThrottle.run(record);
        })(),
      ),
    deleteThrottleBefore: (cutoff) => run(() => sql.deleteThrottleBefore.run({ cutoff }).changes),
  };
}
