import { describe, expect, it } from 'vitest';
import { AuthwatchError } from '@/lib/errors';
import { fromFailure, toFailure } from '@/lib/threads/thread-messages';

describe('errors crossing from a worker thread', () => {
  it('keep their code, message and Retry-After', () => {
    const original = new AuthwatchError('ERR_STORE_BUSY', 'the database is busy', { retryAfterSeconds: 1, cause: new Error('SQLITE_BUSY') });
    const rebuilt = fromFailure(structuredClone(toFailure(original, 'the event writer failed')));
    expect(rebuilt).toBeInstanceOf(AuthwatchError);
    expect(rebuilt).toMatchObject({ code: 'ERR_STORE_BUSY', message: 'the database is busy', retryAfterSeconds: 1 });
  });

  it('become ERR_INTERNAL without their message when they are not authwatch errors', () => {
    const failure = toFailure(new Error('SQLITE_CORRUPT: /secret/path/authwatch.db'), 'the event writer failed');
    expect(failure).toEqual({ code: 'ERR_INTERNAL', message: 'the event writer failed' });
  });
});
