import { AuthwatchError, type ErrorCode } from '../errors';
import type { DatabaseOptions } from './sqlite/database';
import type { EventRecord, InsertOutcome } from './store';

/** The messages between the main thread and the event writer thread (event-writer.ts, event-writer-thread.ts). */
export type WriterData = { database: DatabaseOptions };
export type WriterRequest = { kind: 'insert'; id: number; records: readonly EventRecord[] } | { kind: 'close' };
export type WriterFailure = { code: ErrorCode; message: string; retryAfterSeconds?: number };
export type WriterReply =
  | { kind: 'inserted'; id: number; outcomes: InsertOutcome[] }
  | { kind: 'failed'; id: number; failure: WriterFailure };

/** An error crosses the thread boundary as its code: stack and cause stay behind, as they would in a response. */
export function toFailure(error: unknown): WriterFailure {
  if (error instanceof AuthwatchError) return { code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  return { code: 'ERR_INTERNAL', message: 'the event writer failed' };
}

export function fromFailure(failure: WriterFailure): AuthwatchError {
  return new AuthwatchError(failure.code, failure.message, { retryAfterSeconds: failure.retryAfterSeconds });
}
