import { describe, expect, it } from 'vitest';
import { AuthwatchError, ERROR_CODES, EVENT_ERROR_CODES, httpStatusOf, rejectionReasonOf, type ErrorCode } from '@/lib/errors';

const EXPECTED_STATUS: Record<ErrorCode, number> = {
  ERR_AUTH_MISSING: 401,
  ERR_AUTH_INVALID: 401,
  ERR_AUTH_AMBIGUOUS: 400,
  ERR_CREDENTIAL_REVOKED: 403,
  ERR_CREDENTIAL_EXPIRED: 403,
  ERR_INGEST_MALFORMED: 400,
  ERR_INGEST_EMPTY: 400,
  ERR_INGEST_TOO_LARGE: 413,
  ERR_INGEST_TOO_MANY_EVENTS: 413,
  ERR_INGEST_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_INGEST_UNSUPPORTED_ENCODING: 415,
  ERR_CLIENT_ABORTED: 499,
  ERR_RATE_LIMITED: 429,
  ERR_STORE_BUSY: 503,
  ERR_STORE_FULL: 507,
  ERR_STORE_UNAVAILABLE: 503,
  ERR_UNAVAILABLE: 503,
  ERR_SERVER_BUSY: 503,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_INVALID_INPUT: 400,
  ERR_QUERY_INVALID: 400,
  ERR_CURSOR_INVALID: 400,
  ERR_SERVICE_EXISTS: 409,
  ERR_SERVICE_UNKNOWN: 404,
  ERR_KEY_UNKNOWN: 404,
  ERR_ALERT_UNKNOWN: 404,
  ERR_RULE_UNKNOWN: 404,
  ERR_SERVICE_RESERVED: 403,
  ERR_FORBIDDEN: 403,
  ERR_CROSS_ORIGIN: 403,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_BODY_TOO_LARGE: 413,
  ERR_SESSION_EXPIRED: 401,
  ERR_SIGNIN_FAILED: 401,
  ERR_SIGNIN_THROTTLED: 429,
  ERR_SETUP_LINK_INVALID: 400,
  ERR_PASSWORD_TOO_SHORT: 400,
  ERR_PASSWORD_TOO_LONG: 400,
  ERR_PASSWORD_COMMON: 400,
  ERR_USER_EXISTS: 409,
  ERR_USER_UNKNOWN: 404,
  ERR_LAST_ADMIN: 409,
  ERR_TOKEN_UNKNOWN: 404,
  ERR_INTERNAL: 500,
};

describe('error codes', () => {
  it('has an expected status for exactly the codes there are', () => {
    expect(Object.keys(EXPECTED_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each(ERROR_CODES.map((code) => [code, EXPECTED_STATUS[code]]))('maps %s to %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  it('maps every code to a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
    for (const code of ERROR_CODES) expect(httpStatusOf(code)).toBeLessThan(600);
  });

  it.each([
    ['ERR_INGEST_TOO_LARGE', 'ingest_too_large'],
    ['ERR_AUTH_INVALID', 'auth_invalid'],
    ['ERR_EVENT_TIME_IN_FUTURE', 'event_time_in_future'],
    ['ERR_SERVICE_MISMATCH', 'service_mismatch'],
    ['ERR_CLIENT_ABORTED', 'client_aborted'],
  ])('turns %s into the rejection reason %s', (code, reason) => {
    expect(rejectionReasonOf(code)).toBe(reason);
  });

  it('gives every request and event code a distinct lowercase rejection reason', () => {
    const reasons = [...ERROR_CODES, ...EVENT_ERROR_CODES].map(rejectionReasonOf);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const reason of reasons) expect(reason).toMatch(/^[a-z_]+$/);
  });

  it('carries its code, Retry-After and cause', () => {
    const cause = new Error('disk full');
    const error = new AuthwatchError('ERR_STORE_FULL', 'no space', { retryAfterSeconds: 60, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'AuthwatchError', code: 'ERR_STORE_FULL', retryAfterSeconds: 60, cause });
  });
});
