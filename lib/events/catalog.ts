/**
 * Event types and their reasons (PRODUCT.md, event format v1) with the integer
 * codes the store persists. Codes are stable forever: append, never renumber.
 * Migration 001 writes the same table into SQLite; a test keeps them equal.
 */
export const EVENT_TYPE_CODES = {
  'login.success': 1,
  'login.failure': 2,
  'account.locked': 3,
  'account.unlocked': 4,
  'token.issued': 5,
  'token.refreshed': 6,
  'token.revoked': 7,
  'token.rejected': 8,
  'access.granted': 9,
  'access.denied': 10,
  'rate_limit.exceeded': 11,
  'mtls.rejected': 12,
} as const;
export type EventType = keyof typeof EVENT_TYPE_CODES;
export const EVENT_TYPES = Object.keys(EVENT_TYPE_CODES) as [EventType, ...EventType[]];

export const REASONS_BY_TYPE = {
  'login.failure': [
    'bad_credentials',
    'unknown_user',
    'account_locked',
    'account_disabled',
    'mfa_failed',
    'expired_password',
    'breached_password',
    'other',
  ],
  'token.rejected': [
    'missing',
    'malformed',
    'expired',
    'not_yet_valid',
    'bad_signature',
    'alg_not_allowed',
    'unknown_kid',
    'wrong_issuer',
    'wrong_audience',
    'revoked',
    'replayed',
    'other',
  ],
  'access.denied': ['insufficient_scope', 'missing_role', 'forbidden', 'other'],
  'rate_limit.exceeded': ['per_ip', 'per_client', 'per_user', 'global'],
  'mtls.rejected': ['no_client_cert', 'untrusted_ca', 'cert_expired', 'identity_mismatch', 'other'],
} as const satisfies Partial<Record<EventType, readonly string[]>>;
export type FailureType = keyof typeof REASONS_BY_TYPE;
export type Reason = (typeof REASONS_BY_TYPE)[FailureType][number];

export function isFailureType(type: EventType): type is FailureType {
  return type in REASONS_BY_TYPE;
}

/** Reason codes are global (one code per reason word, so `other` has one code across types). */
export const REASON_CODES = {
  bad_credentials: 1,
  unknown_user: 2,
  account_locked: 3,
  account_disabled: 4,
  mfa_failed: 5,
  expired_password: 6,
  breached_password: 7,
  other: 8,
  missing: 9,
  malformed: 10,
  expired: 11,
  not_yet_valid: 12,
  bad_signature: 13,
  alg_not_allowed: 14,
  unknown_kid: 15,
  wrong_issuer: 16,
  wrong_audience: 17,
  revoked: 18,
  replayed: 19,
  insufficient_scope: 20,
  missing_role: 21,
  forbidden: 22,
  per_ip: 23,
  per_client: 24,
  per_user: 25,
  global: 26,
  no_client_cert: 27,
  untrusted_ca: 28,
  cert_expired: 29,
  identity_mismatch: 30,
} as const satisfies Record<Reason, number>;

export const EVENT_TYPE_BY_CODE = new Map<number, EventType>(
  Object.entries(EVENT_TYPE_CODES).map(([type, code]) => [code, type as EventType]),
);
export const REASON_BY_CODE = new Map<number, Reason>(
  Object.entries(REASON_CODES).map(([reason, code]) => [code, reason as Reason]),
);
