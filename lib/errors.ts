/**
 * The closed set of error codes authwatch answers with. Callers and tests switch
 * on `code`; messages are for people and never carry a secret or an event value.
 */
export const ERROR_CODES = [
  'ERR_AUTH_MISSING',
  'ERR_AUTH_INVALID',
  'ERR_AUTH_AMBIGUOUS',
  'ERR_CREDENTIAL_REVOKED',
  'ERR_CREDENTIAL_EXPIRED',
  'ERR_INGEST_MALFORMED',
  'ERR_INGEST_EMPTY',
  'ERR_INGEST_TOO_LARGE',
  'ERR_INGEST_TOO_MANY_EVENTS',
  'ERR_INGEST_UNSUPPORTED_MEDIA_TYPE',
  'ERR_INGEST_UNSUPPORTED_ENCODING',
  'ERR_CLIENT_ABORTED',
  'ERR_RATE_LIMITED',
  'ERR_STORE_BUSY',
  'ERR_STORE_FULL',
  'ERR_STORE_UNAVAILABLE',
  'ERR_UNAVAILABLE',
  'ERR_SERVER_BUSY',
  'ERR_METHOD_NOT_ALLOWED',
  'ERR_INVALID_INPUT',
  'ERR_QUERY_INVALID',
  'ERR_CURSOR_INVALID',
  'ERR_SERVICE_EXISTS',
  'ERR_SERVICE_UNKNOWN',
  'ERR_KEY_UNKNOWN',
  'ERR_ALERT_UNKNOWN',
  'ERR_RULE_UNKNOWN',
  'ERR_SERVICE_RESERVED',
  'ERR_FORBIDDEN',
  'ERR_CROSS_ORIGIN',
  'ERR_UNSUPPORTED_MEDIA_TYPE',
  'ERR_BODY_TOO_LARGE',
  'ERR_SESSION_EXPIRED',
  'ERR_SIGNIN_FAILED',
  'ERR_SIGNIN_THROTTLED',
  'ERR_SETUP_LINK_INVALID',
  'ERR_PASSWORD_TOO_SHORT',
  'ERR_PASSWORD_TOO_LONG',
  'ERR_PASSWORD_COMMON',
  'ERR_USER_EXISTS',
  'ERR_USER_UNKNOWN',
  'ERR_LAST_ADMIN',
  'ERR_TOKEN_UNKNOWN',
  'ERR_INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const BRAND = Symbol.for('authwatch.error');

export class AuthwatchError extends Error {
  /**
   * Next.js can bundle this module into more than one chunk (the store is created
   * from instrumentation, the routes import it again), so `instanceof` checks a
   * process-wide brand rather than the identity of one copy of the class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly code: ErrorCode;
  /** Seconds a client should wait before retrying, for 429/503/507. */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AuthwatchError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'ERR_INGEST_MALFORMED':
    case 'ERR_INGEST_EMPTY':
    case 'ERR_INVALID_INPUT':
    case 'ERR_QUERY_INVALID':
    case 'ERR_CURSOR_INVALID':
    case 'ERR_SETUP_LINK_INVALID':
    case 'ERR_PASSWORD_TOO_SHORT':
    case 'ERR_PASSWORD_TOO_LONG':
    case 'ERR_PASSWORD_COMMON':
    case 'ERR_AUTH_AMBIGUOUS':
      return 400;
    case 'ERR_AUTH_MISSING':
    case 'ERR_AUTH_INVALID':
    case 'ERR_SESSION_EXPIRED':
    case 'ERR_SIGNIN_FAILED':
      return 401;
    case 'ERR_CREDENTIAL_REVOKED':
    case 'ERR_CREDENTIAL_EXPIRED':
    case 'ERR_FORBIDDEN':
    case 'ERR_CROSS_ORIGIN':
    case 'ERR_SERVICE_RESERVED':
      return 403;
    case 'ERR_SERVICE_UNKNOWN':
    case 'ERR_KEY_UNKNOWN':
    case 'ERR_ALERT_UNKNOWN':
    case 'ERR_RULE_UNKNOWN':
    case 'ERR_USER_UNKNOWN':
    case 'ERR_TOKEN_UNKNOWN':
      return 404;
    case 'ERR_SERVICE_EXISTS':
    case 'ERR_USER_EXISTS':
    case 'ERR_LAST_ADMIN':
      return 409;
    case 'ERR_METHOD_NOT_ALLOWED':
      return 405;
    case 'ERR_INGEST_TOO_LARGE':
    case 'ERR_INGEST_TOO_MANY_EVENTS':
    case 'ERR_BODY_TOO_LARGE':
      return 413;
    case 'ERR_INGEST_UNSUPPORTED_MEDIA_TYPE':
    case 'ERR_UNSUPPORTED_MEDIA_TYPE':
    case 'ERR_INGEST_UNSUPPORTED_ENCODING':
      return 415;
    case 'ERR_RATE_LIMITED':
    case 'ERR_SIGNIN_THROTTLED':
      return 429;
    // nginx's "client closed request": the client went away mid-upload, no server fault. It never reads this.
    case 'ERR_CLIENT_ABORTED':
      return 499;
    case 'ERR_STORE_BUSY':
    case 'ERR_STORE_UNAVAILABLE':
    case 'ERR_UNAVAILABLE':
    case 'ERR_SERVER_BUSY':
      return 503;
    case 'ERR_STORE_FULL':
      return 507;
    case 'ERR_INTERNAL':
      return 500;
  }
}

/** The bounded label value used for `authwatch_ingest_rejected_total{reason}`. */
export function rejectionReasonOf(code: string): string {
  return code.replace(/^ERR_/, '').toLowerCase();
}

/** Why one event of a batch was rejected; the rest of the batch is unaffected. */
export const EVENT_ERROR_CODES = [
  'ERR_EVENT_MALFORMED',
  'ERR_EVENT_INVALID',
  'ERR_EVENT_UNKNOWN_FIELD',
  'ERR_EVENT_TIME_IN_FUTURE',
  'ERR_EVENT_TIME_TOO_OLD',
  'ERR_SERVICE_MISMATCH',
  'ERR_EVENT_RESERVED_KEY',
] as const;
export type EventErrorCode = (typeof EVENT_ERROR_CODES)[number];
