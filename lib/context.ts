import { AuthwatchError } from './errors';
import type { EventWriter } from './store/event-writer';
import type { EventReader, Store } from './store/store';

/**
 * What every verb receives besides its input: the store, the reader, the time
 * it acts at, and, in the server, the thread that writes events.
 */
export type Context = { store: Store; reader?: EventReader; now: number; writer?: EventWriter };

/** The context's reader, for verbs that read events or alerts; every server context has one. */
export function readerOf(ctx: Context): EventReader {
  if (!ctx.reader) throw new AuthwatchError('ERR_UNAVAILABLE', 'no reader');
  return ctx.reader;
}
