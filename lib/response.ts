import { AuthwatchError, httpStatusOf, type ErrorCode } from './errors';
import { log } from './log';

/**
 * The one JSON error shape, `{ error: { code, message } }`, built here and only
 * here. Messages of unexpected errors are logged, never sent: they can carry
 * paths, SQL or values.
 */
const NO_STORE = { 'cache-control': 'no-store' };

export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

/** The one error shape as a status and a JSON text, for server.js, which answers some requests without a web Response. */
export function errorBody(code: ErrorCode, message: string): { status: number; body: string } {
  return { status: httpStatusOf(code), body: JSON.stringify({ error: { code, message } }) };
}

export function errorResponse(error: unknown, requestId?: string | null): Response {
  if (error instanceof AuthwatchError) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error.code === 'ERR_AUTH_MISSING' || error.code === 'ERR_AUTH_INVALID') headers['www-authenticate'] = 'Bearer';
    // The rest of an oversized body may be left unread (beyond what read-batch.ts drops): close the connection, or a reused one would hang.
    if (error.code === 'ERR_INGEST_TOO_LARGE' || error.code === 'ERR_SERVER_BUSY') headers.connection = 'close';
    return jsonResponse({ error: { code: error.code, message: error.message } }, { status: httpStatusOf(error.code), headers });
  }
  log.error('unexpected error', {
    requestId: requestId ?? undefined,
    error: error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown',
  });
  return jsonResponse({ error: { code: 'ERR_INTERNAL', message: 'internal error' } }, { status: 500 });
}
