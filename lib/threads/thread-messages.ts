import { AuthwatchError, type ErrorCode } from '../errors';

/** The messages between a worker thread (serve-requests.ts) and the client that sends it work (thread-client.ts). */
export type ThreadRequest<Payload> = { kind: 'request'; id: number; payload: Payload } | { kind: 'close' };
export type ThreadFailure = { code: ErrorCode; message: string; retryAfterSeconds?: number };
export type ThreadReply<Value> = { kind: 'done'; id: number; value: Value } | { kind: 'failed'; id: number; failure: ThreadFailure };

/** An error crosses the thread boundary as its code: stack and cause stay behind, as they would in a response. */
export function toFailure(error: unknown, internalMessage: string): ThreadFailure {
  if (error instanceof AuthwatchError) return { code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  return { code: 'ERR_INTERNAL', message: internalMessage };
}

export function fromFailure(failure: ThreadFailure): AuthwatchError {
  return new AuthwatchError(failure.code, failure.message, { retryAfterSeconds: failure.retryAfterSeconds });
}
