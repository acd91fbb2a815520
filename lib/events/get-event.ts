import { readerOf, type Context } from '../context';
import { EVENT_TYPE_BY_CODE, REASON_BY_CODE } from './catalog';
import { toEventView, type EventView } from './search-events';

/** One stored event by its sequence number, with the columns the store derived from it; undefined when there is none. */
export async function getEventView({ ctx, seq }: { ctx: Context; seq: number }): Promise<{ view: EventView; service: string | null; type: string | null; reason: string | null; redactions: number } | undefined> {
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  const event = await readerOf(ctx).getEvent(seq);
  if (!event) return undefined;
  const service = ctx.store.listServices().find((each) => each.id === event.serviceId)?.name ?? null;
  return {
    view: toEventView(event),
    service,
    type: EVENT_TYPE_BY_CODE.get(event.type) ?? null,
    reason: event.reason === null ? null : (REASON_BY_CODE.get(event.reason) ?? null),
    redactions: event.redactions,
  };
}

/** Every leaf of a stored event as (dotted path, text), in document order: what the detail view lists. */
export function flattenEvent(value: unknown, prefix = ''): Array<[string, string]> {
  if (value === null || typeof value !== 'object') return [[prefix, value === null ? 'null' : String(value)]];
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  if (entries.length === 0) return [[prefix, Array.isArray(value) ? '[]' : '{}']];
  return entries.flatMap(([key, item]) => flattenEvent(item, prefix ? `${prefix}.${key}` : key));
}
