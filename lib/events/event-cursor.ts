import { AuthwatchError } from '../errors';
import type { EventCursor } from '../store/store';

/**
 * A page position as clients see it: opaque base64url of `time.seq`. Decoding
 * accepts only two bounded integers, so a cursor cannot carry anything else
 * into a query.
 */
export function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(`${cursor.time}.${cursor.seq}`).toString('base64url');
}

export function decodeCursor(text: string): EventCursor {
  const decoded = /^[A-Za-z0-9_-]{1,48}$/.test(text) ? Buffer.from(text, 'base64url').toString('latin1') : '';
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(decoded);
  if (!match) throw new AuthwatchError('ERR_CURSOR_INVALID', 'the cursor is not one this server issued; start from the first page');
  return { time: Number(match[1]), seq: Number(match[2]) };
}
