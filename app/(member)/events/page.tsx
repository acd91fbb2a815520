import Link from 'next/link';
import { AuthwatchError } from '@/lib/errors';
import { EXPORT_ROW_CAP } from '@/lib/events/export-events';
import { searchEvents, type EventView } from '@/lib/events/search-events';
import { parseEventSearchParams, type EventSearchParams } from '@/lib/events/search-params';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { eventHistogram, type HistogramRow } from '@/lib/stats/event-histogram';
import { RANGE_PRESETS, resolveTimeRange, type RangePreset } from '@/lib/stats/time-range';
import styles from '@/app/ui/dashboard/dashboard.module.css';
import { RangePicker } from '@/app/ui/dashboard/range-picker';
import { SeriesChart } from '@/app/ui/dashboard/series-chart';
import { AddFilter } from '@/app/ui/explorer/add-filter';
import { EventTable } from '@/app/ui/explorer/event-table';
import { withCursor, toSearch } from '@/app/ui/explorer/explorer-url';
import { FilterChips } from '@/app/ui/explorer/filter-chips';

export const metadata = { title: 'Events · authwatch' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The API's parameters for the page's URL: `range=24h` becomes `from` (the API knows only from/to). */
function apiSearch(search: URLSearchParams, now: number): URLSearchParams {
  const api = new URLSearchParams(search);
  const range = api.get('range');
  api.delete('range');
  if (range && range in RANGE_PRESETS && !api.has('from')) api.set('from', new Date(now - RANGE_PRESETS[range as RangePreset]).toISOString());
  return api;
}

type Loaded = { params: EventSearchParams; page: { events: EventView[]; next_cursor: string | null }; histogram: HistogramRow[] | null; bucketMs: number; span: string };

async function load(search: URLSearchParams): Promise<Loaded | { error: string }> {
  const ctx = requestContext();
  try {
    const params = parseEventSearchParams(apiSearch(search, ctx.now));
    const range = resolveTimeRange({ from: params.from ?? ctx.now - RANGE_PRESETS['24h'], to: params.to ?? ctx.now }, ctx.now);
    const [page, histogram] = await Promise.all([searchEvents({ ctx, input: params }), eventHistogram({ ctx, params, range })]);
    const span = params.from === undefined ? 'the last 24 h' : 'the range';
    return { params, page, histogram, bucketMs: range.bucketMs, span };
  } catch (error) {
    if (error instanceof AuthwatchError) return { error: error.message };
    throw error;
  }
}

/** `/events`: filters as chips in the URL, a histogram of the filtered events, one event a line newest first, cursor pages, exports. */
export default async function EventsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage('PAGE /events');
  const search = toSearch(await searchParams);
  const loaded = await load(search);
  const exportQuery = apiSearch(search, Date.now());
  exportQuery.delete('cursor');
  exportQuery.delete('limit');
  return (
    <>
      <h1>Events</h1>
      <RangePicker current={search.get('range')} />
      <AddFilter />
      <FilterChips search={search} />
      {'error' in loaded ? (
        <p role="alert">
          These filters cannot be read: {loaded.error}. <Link href="/events">Clear all filters</Link>
        </p>
      ) : (
        <>
          {loaded.histogram ? (
            <SeriesChart title={`Matching events over ${loaded.span}`} rows={loaded.histogram} bucketMs={loaded.bucketMs} filters={Object.fromEntries(['type', 'reason', 'service'].map((name) => [name, search.getAll(name)]))} />
          ) : (
            <p className={styles.flat}>
              No histogram for these filters: it is drawn from the rollups, which count by time, type, reason and service only; address, username, subject, client, token
              and text filters would need a scan of every matching event.
            </p>
          )}
          <p className={styles.toolbar}>
            <a href={`/api/v1/events/export?format=csv&${exportQuery}`} download>
              Export CSV
            </a>
            <a href={`/api/v1/events/export?format=ndjson&${exportQuery}`} download>
              Export NDJSON
            </a>
            <span className={styles.flat}>(the filtered events, newest first, at most {EXPORT_ROW_CAP.toLocaleString('en-US')} rows)</span>
          </p>
          {loaded.page.events.length === 0 ? (
            <p className={styles.empty}>No event matches. Remove a filter or widen the range; a fresh install shows how to send a first event on the overview.</p>
          ) : (
            <EventTable events={loaded.page.events} search={search} />
          )}
          <nav className={styles.pager} aria-label="Pages">
            {search.has('cursor') && <Link href={withCursor(search, null)}>Newest</Link>}
            {loaded.page.next_cursor && <Link href={withCursor(search, loaded.page.next_cursor)}>Older →</Link>}
          </nav>
        </>
      )}
    </>
  );
}
