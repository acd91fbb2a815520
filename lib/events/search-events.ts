import { readerOf, type Context } from '../context';
import type { EventFilter, StoredEvent } from '../store/store';
import { EVENT_TYPE_CODES, REASON_CODES } from './catalog';
import { decodeCursor, encodeCursor } from './event-cursor';
import type { EventSearchParams } from './search-params';

/** An event as the read API returns it: the stored event (already redacted), its sequence and arrival time. */
export type EventView = Record<string, unknown> & { seq: number; received_at: string };

export function toEventView(event: StoredEvent): EventView {
  return { ...(JSON.parse(event.document) as Record<string, unknown>), seq: event.sequence, received_at: new Date(event.receivedAt).toISOString() };
}

/** The store's filter for validated parameters; undefined when a named service does not exist, so nothing can match. */
export function toEventFilter(ctx: Pick<Context, 'store'>, params: EventSearchParams): EventFilter | undefined {
  const services = new Map(ctx.store.listServices().map((service) => [service.name, service.id]));
  const serviceIds = params.service.flatMap((name) => (services.has(name) ? [services.get(name)!] : []));
  if (params.service.length > 0 && serviceIds.length === 0) return undefined;
  return {
    since: params.from,
    until: params.to,
    types: params.type.map((type) => EVENT_TYPE_CODES[type]),
    reasons: params.reason.map((reason) => REASON_CODES[reason]),
    serviceIds,
    ips: params.ip,
    usernames: params.username,
    subjects: params.subject,
    clientIds: params.client_id,
    jtis: params.jti,
    text: params.q || undefined,
  };
}

/** GET /api/v1/events: one page of matching events, newest first, and the cursor of the next. */
export async function searchEvents({ ctx, input }: { ctx: Context; input: EventSearchParams }): Promise<{ events: EventView[]; next_cursor: string | null }> {
  const reader = readerOf(ctx);
  const filter = toEventFilter(ctx, input);
  if (!filter) return { events: [], next_cursor: null };
  const cursor = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  const page = await reader.listEvents({ ...filter, cursor, limit: input.limit });
  return { events: page.events.map(toEventView), next_cursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
}
