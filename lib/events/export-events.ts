import { readerOf, type Context } from '../context';
import { EVENT_TYPE_BY_CODE, REASON_BY_CODE } from './catalog';
import { csvLine } from './csv-cell';
import { iterateEvents } from './iterate-events';
import { toEventFilter, toEventView } from './search-events';
import type { EventSearchParams } from './search-params';

/** The most events one export holds; the page and the response header state it. */
export const EXPORT_ROW_CAP = 100_000;
export type ExportFormat = 'csv' | 'ndjson';

export const CSV_COLUMNS = ['seq', 'id', 'time', 'received_at', 'service', 'type', 'reason', 'ip', 'username', 'subject', 'client_id', 'jti', 'event'] as const;

/**
 * The filtered events, newest first, as CSV or NDJSON lines produced one page
 * at a time by keyset (never the whole set in memory), at most EXPORT_ROW_CAP.
 * CSV cells are escaped against formula injection (csvCell); the last column
 * is the stored event as JSON.
 */
export async function* exportEvents({ ctx, input, format }: { ctx: Context; input: EventSearchParams; format: ExportFormat }): AsyncGenerator<string> {
  const reader = readerOf(ctx);
  if (format === 'csv') yield csvLine(CSV_COLUMNS);
  const filter = toEventFilter(ctx, input);
  if (!filter) return;
  const names = new Map(ctx.store.listServices().map((service) => [service.id, service.name]));
  for await (const event of iterateEvents(reader, filter, { max: EXPORT_ROW_CAP })) {
    if (format === 'ndjson') {
      yield `${JSON.stringify(toEventView(event))}\n`;
      continue;
    }
    yield csvLine([
      event.sequence,
      event.id,
      new Date(event.time).toISOString(),
      new Date(event.receivedAt).toISOString(),
      names.get(event.serviceId) ?? null,
      EVENT_TYPE_BY_CODE.get(event.type) ?? null,
      event.reason === null ? null : (REASON_BY_CODE.get(event.reason) ?? null),
      event.ip,
      event.username,
      event.subject,
      event.clientId,
      event.jti,
      event.document,
    ]);
  }
}
