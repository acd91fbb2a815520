import { AuthwatchError } from '../../errors';

/**
 * Maps SQLite failures to the closed error codes: a locked database or a full
 * disk must reach the client as 503/507 with Retry-After, never as a false 2xx
 * or an opaque 500.
 */
export function translateSqliteError(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AuthwatchError('ERR_STORE_BUSY', 'the database is busy, retry shortly', { retryAfterSeconds: 1, cause: error });
  }
  if (code === 'SQLITE_FULL') {
    return new AuthwatchError('ERR_STORE_FULL', 'the database has no space left', { retryAfterSeconds: 60, cause: error });
  }
  if (/^SQLITE_(IOERR|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL)/.test(code)) {
    return new AuthwatchError('ERR_STORE_UNAVAILABLE', 'the database cannot be written', { retryAfterSeconds: 5, cause: error });
  }
  return error;
}

export function withSqliteErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw translateSqliteError(error);
  }
}
