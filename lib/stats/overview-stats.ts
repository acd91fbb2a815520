import { readerOf, type Context } from '../context';
import { DOOR_SERVICE } from '../door/door-service';
import { toAlertView, type AlertView } from '../alerts/alert-view';
import { EVENT_TYPES, EVENT_TYPE_BY_CODE, EVENT_TYPE_CODES, REASON_BY_CODE, type EventType } from '../events/catalog';
import type { BucketCount, TopValues } from '../store/store';
import type { TimeRange } from './time-range';

/** The overview's tiles: the failure types an attack shows up as, in the order the page shows them. */
export const KPI_TYPES = [
  { type: 'login.failure', label: 'Failed logins' },
  { type: 'token.rejected', label: 'Invalid tokens' },
  { type: 'access.denied', label: 'Access denied' },
  { type: 'rate_limit.exceeded', label: 'Rate limited' },
  { type: 'mtls.rejected', label: 'mTLS rejections' },
] as const satisfies ReadonlyArray<{ type: EventType; label: string }>;

const TOP_LIMIT = 10;

/** `margin`, present when above 0: the true count lies in [count, count + margin] (a day summary left this value out). */
export type Ranked = { value: string; count: number; margin?: number };
/** A top list and whether it is exact: every count exact and no value left out could rank in it. */
export type RankedList = { rows: Ranked[]; exact: boolean };
export type TopList = 'ips' | 'usernames' | 'clients' | 'services';
export type OverviewStats = {
  from: string;
  to: string;
  bucket: TimeRange['bucket'];
  bucket_ms: number;
  total: number;
  /** Events from the services that report (authwatch's own sign-in record left out): zero on a fresh install. */
  reported: number;
  kpis: Array<{ type: EventType; label: string; count: number; previous: number; series: number[] }>;
  /** One row per bucket (start, epoch ms) with a count per event type, zero where none. */
  series: Array<{ bucket: number } & Record<EventType, number>>;
  reasons: Array<{ type: EventType; reason: string; count: number }>;
  /** `exact`: per list, whether every count is exact and no value left out could rank in it (services always are). */
  top: { ips: Ranked[]; usernames: Ranked[]; clients: Ranked[]; services: Ranked[]; exact: { ips: boolean; usernames: boolean; clients: boolean } };
  open_alerts: AlertView[];
  /** Every open alert, of which `open_alerts` holds the newest OPEN_ALERTS_SHOWN. */
  open_alerts_total: number;
};

/** The open alerts the overview lists, and how many are open in all (the strip says "+N more"). */
export type OpenAlerts = { alerts: AlertView[]; total: number };
export const OPEN_ALERTS_SHOWN = 10;

/** The bucket starts covering [from, to): the first bucket holds `from`. */
export function bucketStarts(range: Pick<TimeRange, 'from' | 'to' | 'bucketMs'>): number[] {
  const starts: number[] = [];
  for (let start = Math.floor(range.from / range.bucketMs) * range.bucketMs; start < range.to; start += range.bucketMs) starts.push(start);
  return starts;
}

function zeroRow(bucket: number): { bucket: number } & Record<EventType, number> {
  return Object.assign({ bucket }, Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) as Record<EventType, number>);
}

/** Totals per type over bucket counts. */
function totalsByType(counts: readonly BucketCount[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const row of counts) totals.set(row.type, (totals.get(row.type) ?? 0) + row.count);
  return totals;
}

/** What the tiles, the series chart, the reasons and the empty state draw: the bucket counts of the range and the one before. */
export type OverviewCounts = Pick<OverviewStats, 'from' | 'to' | 'bucket' | 'bucket_ms' | 'total' | 'reported' | 'kpis' | 'series' | 'reasons'>;

/**
 * The overview as one promise per widget group, each from its own reader
 * queries, so a page can draw each as it arrives and one failing query costs
 * only its widget: the counts (tiles, series, reasons), each top list, the
 * open alerts.
 */
export type OverviewParts = {
  counts: Promise<OverviewCounts>;
  top: { [Key in TopList]: Promise<RankedList> };
  open_alerts: Promise<OpenAlerts>;
};

async function overviewCounts(ctx: Context, range: TimeRange): Promise<OverviewCounts> {
  const reader = readerOf(ctx);
  const span = range.to - range.from;
  // The chart by type at the range's bucket; the totals, reasons and services from whole days
  // (exact at the range's edges all the same): each read returns only the rows it needs.
  const [byType, current, previous] = await Promise.all([
    reader.bucketCounts({ since: range.from, until: range.to, bucket: range.bucket, by: 'type' }),
    reader.bucketCounts({ since: range.from, until: range.to, bucket: 'day' }),
    reader.bucketCounts({ since: range.from - span, until: range.from, bucket: 'day' }),
  ]);
  const starts = bucketStarts(range);
  const rows = new Map(starts.map((start) => [start, zeroRow(start)]));
  for (const count of byType) {
    const type = EVENT_TYPE_BY_CODE.get(count.type);
    const row = rows.get(count.bucket);
    if (type && row) row[type] += count.count;
  }
  const reasons = new Map<string, { type: EventType; reason: string; count: number }>();
  const door = ctx.store.findServiceByName(DOOR_SERVICE)?.id;
  let total = 0;
  let reported = 0;
  for (const count of current) {
    const type = EVENT_TYPE_BY_CODE.get(count.type);
    if (!type) continue;
    total += count.count;
    if (count.serviceId !== door) reported += count.count;
    if (count.reason !== null) {
      const reason = REASON_BY_CODE.get(count.reason) ?? 'other';
      const key = `${type}:${reason}`;
      const entry = reasons.get(key) ?? { type, reason, count: 0 };
      entry.count += count.count;
      reasons.set(key, entry);
    }
  }
  const series = [...rows.values()];
  const before = totalsByType(previous);
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    bucket: range.bucket,
    bucket_ms: range.bucketMs,
    total,
    reported,
    kpis: KPI_TYPES.map(({ type, label }) => ({
      type,
      label,
      count: series.reduce((sum, row) => sum + row[type], 0),
      previous: before.get(EVENT_TYPE_CODES[type]) ?? 0,
      series: series.map((row) => row[type]),
    })),
    series,
    reasons: [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

const ranked = (list: TopValues): RankedList => ({
  rows: list.values.map(({ value, count, margin }) => ({ value: String(value), count, ...(margin > 0 ? { margin } : {}) })),
  exact: list.exact,
});

/** Starts every widget group's queries at once; nothing is awaited here. */
export function overviewParts({ ctx, range }: { ctx: Context; range: TimeRange }): OverviewParts {
  const reader = readerOf(ctx);
  const window = { since: range.from, until: range.to };
  const serviceNames = async () => {
    const services = await reader.topValues({ ...window, field: 'serviceId', limit: TOP_LIMIT });
    const names = new Map(ctx.store.listServices().map((service) => [service.id, service.name]));
    return { rows: services.values.map(({ value, count }) => ({ value: names.get(Number(value)) ?? `#${value}`, count })), exact: services.exact };
  };
  return {
    counts: overviewCounts(ctx, range),
    top: {
      ips: reader.topValues({ ...window, field: 'ip', limit: TOP_LIMIT, failuresOnly: true }).then(ranked),
      usernames: reader.topValues({ ...window, field: 'username', limit: TOP_LIMIT, failuresOnly: true }).then(ranked),
      clients: reader.topValues({ ...window, field: 'clientId', limit: TOP_LIMIT, failuresOnly: true }).then(ranked),
      services: serviceNames(),
    },
    open_alerts: Promise.all([reader.listAlerts({ statuses: ['open'], limit: OPEN_ALERTS_SHOWN }), reader.alertStatusCounts({})]).then(([page, counts]) => ({
      alerts: page.alerts.map(toAlertView),
      // Two reads: an alert opened between them must not make the total smaller than the list.
      total: Math.max(counts.open, page.alerts.length),
    })),
  };
}

/**
 * `GET /api/v1/stats/overview`: everything the overview draws for one range,
 * from the rollups: the tiles against the previous period of the same length,
 * the series by type, the reasons (all exact), the top lists (failures only for
 * addresses, usernames and clients, exact or with their stated margin) and the
 * open alerts.
 */
export async function overviewStats({ ctx, range }: { ctx: Context; range: TimeRange }): Promise<OverviewStats> {
  const parts = overviewParts({ ctx, range });
  const [counts, ips, usernames, clients, services, open_alerts] = await Promise.all([
    parts.counts,
    parts.top.ips,
    parts.top.usernames,
    parts.top.clients,
    parts.top.services,
    parts.open_alerts,
  ]);
  return {
    ...counts,
    top: { ips: ips.rows, usernames: usernames.rows, clients: clients.rows, services: services.rows, exact: { ips: ips.exact, usernames: usernames.exact, clients: clients.exact } },
    open_alerts: open_alerts.alerts,
    open_alerts_total: open_alerts.total,
  };
}
