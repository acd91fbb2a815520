import type { Store } from './store/store';

/** What every verb receives besides its input: the store and the time it acts at. */
export type Context = { store: Store; now: number };
