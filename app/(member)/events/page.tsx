import { Suspense } from 'react';
import { AuthwatchError } from '@/lib/errors';
import { EXPORT_ROW_CAP } from '@/lib/events/export-events';
import { searchEvents } from '@/lib/events/search-events';
import { parseEventSearchParams, type EventSearchParams } from '@/lib/events/search-params';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { eventHistogram } from '@/lib/stats/event-histogram';
import { RANGE_PRESETS, resolveTimeRange, type RangePreset, type TimeRange } from '@/lib/stats/time-range';
import styles from '@/app/ui/dashboard/dashboard.module.css';
import { RangePicker } from '@/app/ui/dashboard/range-picker';
import { ChartSkeleton, TableSkeleton } from '@/app/ui/dashboard/skeletons';
import { AddFilter } from '@/app/ui/explorer/add-filter';
import { EventsWidget, HistogramWidget } from '@/app/ui/explorer/explorer-widgets';
import { toSearch } from '@/app/ui/explorer/explorer-url';
import { FilterChips } from '@/app/ui/explorer/filter-chips';
import { FilterError } from '@/app/ui/filter-error';
import { WidgetBoundary } from '@/app/ui/widget-boundary';

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

/** The filters read from the URL (a 200 page saying what is wrong when they cannot be), before anything streams. */
function parse(search: URLSearchParams, now: number): { params: EventSearchParams; range: TimeRange } | { error: string } {
  try {
    const params = parseEventSearchParams(apiSearch(search, now));
    return { params, range: resolveTimeRange({ from: params.from ?? now - RANGE_PRESETS['24h'], to: params.to ?? now }, now) };
  } catch (error) {
    if (error instanceof AuthwatchError) return { error: error.message };
    throw error;
  }
}

/**
 * `/events`: filters as chips in the URL, a histogram of the filtered events,
 * one event a line newest first, cursor pages, exports. The role is checked and
 * the filters parsed first; the histogram and the table then stream, each with
 * its skeleton and its own error boundary.
 */
export default async function EventsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage('PAGE /events');
  const search = toSearch(await searchParams);
  const ctx = requestContext();
  const parsed = parse(search, ctx.now);
  const exportQuery = apiSearch(search, Date.now());
  exportQuery.delete('cursor');
  exportQuery.delete('limit');
  const span = 'error' in parsed || parsed.params.from === undefined ? 'the last 24 h' : 'the range';
  return (
    <>
      <h1>Events</h1>
      <RangePicker current={search.get('range')} />
      <AddFilter />
      <FilterChips search={search} />
      {'error' in parsed ? (
        <FilterError message={parsed.error} clearHref="/events" />
      ) : (
        <>
          <WidgetBoundary title={`Matching events over ${span}`} testId="histogram">
            <Suspense fallback={<ChartSkeleton title={`Matching events over ${span}`} testId="histogram" />}>
              <HistogramWidget histogram={eventHistogram({ ctx, params: parsed.params, range: parsed.range })} bucketMs={parsed.range.bucketMs} span={span} search={search} />
            </Suspense>
          </WidgetBoundary>
          <p className={styles.toolbar}>
            <a href={`/api/v1/events/export?format=csv&${exportQuery}`} download>
              Export CSV
            </a>
            <a href={`/api/v1/events/export?format=ndjson&${exportQuery}`} download>
              Export NDJSON
            </a>
            <span className={styles.flat}>(the filtered events, newest first, at most {EXPORT_ROW_CAP.toLocaleString('en-US')} rows)</span>
          </p>
          <WidgetBoundary title="Events" testId="events">
            <Suspense fallback={<TableSkeleton testId="events" rows={12} panel={false} />}>
              <EventsWidget page={searchEvents({ ctx, input: parsed.params })} search={search} />
            </Suspense>
          </WidgetBoundary>
        </>
      )}
    </>
  );
}
