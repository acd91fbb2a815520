import { readerOf, type Context } from '../context';
import { EVENT_TYPE_BY_CODE, isFailureType } from '../events/catalog';
import { HOUR_MS } from '../time';

/** A service that sent events, then none for this long, is flagged silent. */
export const SILENT_AFTER_MS = 15 * 60_000;
const HOURS = 24;

export type ServiceHealth = {
  name: string;
  last_event: string | null;
  /** Events per minute over the last hour. */
  rate_per_minute: number;
  /** Failures over all events in the last 24 h; null when it sent none. */
  failure_ratio: number | null;
  events_24h: number;
  /** Events per hour over the last 24 h, oldest first. */
  series: number[];
  silent: boolean;
};

/**
 * `/services`: each registered service's last event, rate, failure ratio and
 * 24-hour sparkline, from the rollups (and one newest-event read per service);
 * silent when its last event is older than 15 minutes.
 */
export async function serviceHealth({ ctx }: { ctx: Context }): Promise<ServiceHealth[]> {
  const reader = readerOf(ctx);
  const services = ctx.store.listServices();
  const firstHour = Math.floor(ctx.now / HOUR_MS) * HOUR_MS - (HOURS - 1) * HOUR_MS;
  const [counts, newest] = await Promise.all([
    reader.bucketCounts({ since: firstHour, until: ctx.now, bucket: 'hour' }),
    Promise.all(services.map((service) => reader.listEvents({ serviceIds: [service.id], limit: 1 }))),
  ]);
  const lastHour = await reader.bucketCounts({ since: ctx.now - HOUR_MS, until: ctx.now, bucket: 'hour' });
  return services.map((service, index) => {
    const series = Array.from({ length: HOURS }, () => 0);
    let failures = 0;
    let total = 0;
    for (const count of counts) {
      if (count.serviceId !== service.id) continue;
      series[Math.round((count.bucket - firstHour) / HOUR_MS)] += count.count;
      total += count.count;
      const type = EVENT_TYPE_BY_CODE.get(count.type);
      if ((type && isFailureType(type)) || type === 'account.locked') failures += count.count;
    }
    const recent = lastHour.filter((count) => count.serviceId === service.id).reduce((sum, count) => sum + count.count, 0);
    const last = newest[index].events[0]?.time ?? null;
    return {
      name: service.name,
      last_event: last === null ? null : new Date(last).toISOString(),
      rate_per_minute: recent / 60,
      failure_ratio: total === 0 ? null : failures / total,
      events_24h: total,
      series,
      silent: last !== null && ctx.now - last > SILENT_AFTER_MS,
    };
  });
}
