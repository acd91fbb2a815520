import type { EventWriter } from './store/event-writer';
import type { Store } from './store/store';

/**
 * What every verb receives besides its input: the store, the time it acts at,
 * and, in the production server, the thread that writes events.
 */
export type Context = { store: Store; now: number; writer?: EventWriter };
