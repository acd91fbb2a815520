import { readerOf, type Context } from '../context';
import { EVENT_TYPE_BY_CODE, EVENT_TYPES, EVENT_TYPE_CODES, REASON_CODES, type EventType } from '../events/catalog';
import type { EventSearchParams } from '../events/search-params';
import { bucketStarts } from './overview-stats';
import type { TimeRange } from './time-range';

export type HistogramRow = { bucket: number } & Record<EventType, number>;

/** Filters the rollups can answer exactly; any other (address, username, text…) would need a scan of the events. */
export function histogramAnswers(params: EventSearchParams): boolean {
  return params.ip.length + params.username.length + params.subject.length + params.client_id.length + params.jti.length === 0 && !params.q;
}

/**
 * Events per bucket of the explorer's range, by type, from the rollups (exact,
 * no event scanned): only for filters of time, type, reason and service;
 * null for any other, which the page says instead of drawing a partial count.
 */
export async function eventHistogram({ ctx, params, range }: { ctx: Context; params: EventSearchParams; range: TimeRange }): Promise<HistogramRow[] | null> {
  if (!histogramAnswers(params)) return null;
  const services = new Map(ctx.store.listServices().map((service) => [service.name, service.id]));
  const serviceIds = params.service.flatMap((name) => (services.has(name) ? [services.get(name)!] : [-1]));
  const reasons = new Set<number>(params.reason.map((reason) => REASON_CODES[reason]));
  const counts = await readerOf(ctx).bucketCounts({
    since: range.from,
    until: range.to,
    bucket: range.bucket,
    // Summed over services and reasons in SQL unless the reasons filter needs them apart.
    ...(reasons.size === 0 ? { by: 'type' as const } : {}),
    ...(serviceIds.length > 0 ? { serviceIds } : {}),
    ...(params.type.length > 0 ? { types: params.type.map((type) => EVENT_TYPE_CODES[type]) } : {}),
  });
  const rows = new Map(bucketStarts(range).map((bucket) => [bucket, { bucket, ...Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) } as HistogramRow]));
  for (const count of counts) {
    if (reasons.size > 0 && (count.reason === null || !reasons.has(count.reason))) continue;
    const type = EVENT_TYPE_BY_CODE.get(count.type);
    const row = rows.get(count.bucket);
    if (type && row) row[type] += count.count;
  }
  return [...rows.values()];
}
