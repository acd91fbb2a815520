import type { EventQuery, EventReader, StoredEvent } from '../store/store';

/**
 * Every event a query matches, newest first, in pages of `pageSize` fetched
 * one at a time by keyset (the last event's `(time, seq)`), so an export of
 * any size holds one page in memory and never repeats or skips an event while
 * new ones arrive. Stops after `max` events when given.
 */
export async function* iterateEvents(
  reader: Pick<EventReader, 'listEvents'>,
  query: Omit<EventQuery, 'cursor' | 'limit'>,
  { pageSize = 1000, max = Infinity }: { pageSize?: number; max?: number } = {},
): AsyncGenerator<StoredEvent> {
  let cursor: EventQuery['cursor'];
  let yielded = 0;
  do {
    const page = await reader.listEvents({ ...query, cursor, limit: Math.min(pageSize, max - yielded) });
    for (const event of page.events) yield event;
    yielded += page.events.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && yielded < max);
}
