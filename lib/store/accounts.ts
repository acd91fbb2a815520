import type { Role } from '../auth/roles';

/**
 * Storage of accounts, engine-neutral like the rest of the Store: the people who
 * sign in, their sessions, setup links and API tokens, ingest key usage, the
 * audit log and sign-in throttle state. Secrets never reach this layer: tokens
 * arrive as digests, passwords as scrypt hashes. Every call is a point lookup or
 * a small write, synchronous on the calling thread.
 */
export type UserStatus = 'invited' | 'active' | 'disabled';

export type UserRecord = {
  id: number;
  email: string;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
  createdAt: number;
  updatedAt: number;
};

export type SessionRecord = {
  tokenHash: Buffer;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
};

export type SetupLinkPurpose = 'first_admin' | 'invite' | 'reset';

export type SetupLinkRecord = {
  tokenHash: Buffer;
  purpose: SetupLinkPurpose;
  userId: number | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
};

export type ApiTokenRecord = {
  id: string;
  name: string;
  role: Role;
  secretHash: Buffer;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
};

export type ActorKind = 'user' | 'token' | 'cli' | 'system';

export type AuditEntry = {
  time: number;
  actorKind: ActorKind;
  actorId: string | null;
  actorLabel: string;
  action: string;
  target: string | null;
  ip: string | null;
  /** A small JSON object; never a secret. */
  detail: string | null;
};
export type AuditRecord = AuditEntry & { id: number };

/** Newest first; `beforeId` continues a page; text filters match exactly. */
export type AuditQuery = {
  beforeId?: number;
  since?: number;
  until?: number;
  actor?: string;
  action?: string;
  target?: string;
  limit: number;
};

export type ThrottleRecord = { key: string; failures: number; windowStartedAt: number };

export interface AccountStore {
  /** Runs `work` in one transaction: its writes, and an audit entry it appends, commit together or not at all. */
  transaction<T>(work: () => T): T;

  countUsers(): number;
  countActiveAdmins(): number;
  insertUser(user: Omit<UserRecord, 'id'>): UserRecord;
  findUserById(id: number): UserRecord | undefined;
  findUserByEmail(email: string): UserRecord | undefined;
  listUsers(): UserRecord[];
  setUserRole(id: number, role: Role, now: number): void;
  setUserStatus(id: number, status: UserStatus, now: number): void;
  /** Sets the password hash and makes an invited user active. */
  setUserPassword(id: number, passwordHash: string, now: number): void;

  insertSession(session: SessionRecord): void;
  findSession(tokenHash: Buffer): { session: SessionRecord; user: UserRecord } | undefined;
  touchSession(tokenHash: Buffer, now: number): void;
  deleteSession(tokenHash: Buffer): void;
  /** Ends every session of a user; returns how many there were. */
  deleteUserSessions(userId: number): number;
  /** Deletes sessions past their absolute end or idle for `idleMs`; returns how many went. */
  deleteExpiredSessions(now: number, idleMs: number): number;

  insertSetupLink(link: Omit<SetupLinkRecord, 'usedAt'>): void;
  findSetupLink(tokenHash: Buffer): SetupLinkRecord | undefined;
  /** Marks the link used unless it already was; false when another request used it first. */
  useSetupLink(tokenHash: Buffer, now: number): boolean;
  /** Deletes the unused links of one purpose for one user (null: the first-admin links). */
  deleteUnusedSetupLinks(purpose: SetupLinkPurpose, userId: number | null): void;

  insertApiToken(token: Omit<ApiTokenRecord, 'revokedAt' | 'lastUsedAt'>): void;
  findApiToken(id: string): ApiTokenRecord | undefined;
  listApiTokens(): ApiTokenRecord[];
  revokeApiToken(id: string, now: number): boolean;
  touchApiToken(id: string, now: number): void;

  /** Brings an ingest key's expiry forward to `at` (never later than it was): the grace period of a rotation. */
  expireIngestKeyBy(id: string, at: number): void;
  /** Writes the newest use of each ingest key, never moving one back. */
  recordIngestKeyUses(uses: ReadonlyMap<string, number>): void;
  ingestKeyLastUses(): Map<string, number>;

  appendAudit(entry: AuditEntry): AuditRecord;
  listAudit(query: AuditQuery): AuditRecord[];

  readThrottle(keys: readonly string[]): ThrottleRecord[];
  writeThrottle(records: readonly ThrottleRecord[]): void;
  deleteThrottleBefore(cutoff: number): number;
}
