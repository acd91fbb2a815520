import type { EventWriter } from './store/event-writer';
import type { EventReader, Store } from './store/store';

/**
 * What every verb receives besides its input: the store, the reader, the time
 * it acts at, and, in the server, the thread that writes events.
 */
export type Context = { store: Store; reader?: EventReader; now: number; writer?: EventWriter };
