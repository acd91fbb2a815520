import Link from 'next/link';
import { AuthwatchError } from '@/lib/errors';
import type { EventView } from '@/lib/events/search-events';
import type { HistogramRow } from '@/lib/stats/event-histogram';
import styles from '../dashboard/dashboard.module.css';
import { SeriesChart } from '../dashboard/series-chart';
import { FilterError } from '../filter-error';
import { EventTable } from './event-table';
import { withCursor } from './explorer-url';

/** The histogram once its rollup query answers; a sentence instead when the filters cannot be drawn from the rollups. */
export async function HistogramWidget({ histogram, bucketMs, span, search }: { histogram: Promise<HistogramRow[] | null>; bucketMs: number; span: string; search: URLSearchParams }) {
  const rows = await histogram;
  if (!rows) {
    return (
      <p className={styles.flat}>
        No histogram for these filters: it is drawn from the rollups, which count by time, type, reason and service only; address, username, subject, client, token and
        text filters would need a scan of every matching event.
      </p>
    );
  }
  const filters = Object.fromEntries(['type', 'reason', 'service'].map((name) => [name, search.getAll(name)]));
  return <SeriesChart title={`Matching events over ${span}`} rows={rows} bucketMs={bucketMs} filters={filters} />;
}

/** One page of events once the search answers, with its pager; a cursor the store cannot read says so. */
export async function EventsWidget({ page, search }: { page: Promise<{ events: EventView[]; next_cursor: string | null }>; search: URLSearchParams }) {
  let loaded;
  try {
    loaded = await page;
  } catch (error) {
    if (!(error instanceof AuthwatchError)) throw error;
    return <FilterError message={error.message} clearHref="/events" />;
  }
  return (
    <>
      {loaded.events.length === 0 ? (
        <p className={styles.empty}>No event matches. Remove a filter or widen the range; a fresh install shows how to send a first event on the overview.</p>
      ) : (
        <EventTable events={loaded.events} search={search} />
      )}
      <nav className={styles.pager} aria-label="Pages">
        {search.has('cursor') && <Link href={withCursor(search, null)}>Newest</Link>}
        {loaded.next_cursor && <Link href={withCursor(search, loaded.next_cursor)}>Older →</Link>}
      </nav>
    </>
  );
}
