'use client';

import Link from 'next/link';
import { Suspense, use, type ReactNode } from 'react';
import type { OpenAlerts, OverviewCounts, OverviewParts, OverviewStats, RankedList, TopList } from '@/lib/stats/overview-stats';
import { SeverityBadge } from '../severity-badge';
import { WidgetBoundary } from '../widget-boundary';
import styles from './dashboard.module.css';
import { explorerHref } from './explorer-href';
import { KpiTile } from './kpi-tile';
import { SeriesChart } from './series-chart';
import { ChartSkeleton, StripSkeleton, TableSkeleton, TilesSkeleton } from './skeletons';
import { ReasonTable, TopTable } from './top-table';

/** The latest polled overview when there is one, else this widget's part as the server streams it. */
function useLatest<T>(live: OverviewStats | undefined, pick: (stats: OverviewStats) => T, part: Promise<T>): T {
  return live ? pick(live) : use(part);
}

type Range = { from: string; to: string };
/** The streamed parts, the latest poll, the range the page asked for (links use the poll's once there is one), and a retry. */
type Shared = { parts: OverviewParts; live: OverviewStats | undefined; range: Range; retry: () => unknown };

/** A widget: its own error boundary and its own skeleton, so it loads and fails alone. */
function Widget({ title, testId, skeleton, retry, children }: { title: string; testId: string; skeleton: ReactNode; retry: () => unknown; children: ReactNode }) {
  return (
    <WidgetBoundary title={title} testId={testId} onRetry={retry}>
      <Suspense fallback={skeleton}>{children}</Suspense>
    </WidgetBoundary>
  );
}

const pickCounts = (stats: OverviewStats): OverviewCounts => stats;
const rangeOf = (live: OverviewStats | undefined, range: Range): Range => (live ? { from: live.from, to: live.to } : range);

/** The wall screen fits 1920×1080: one line of alerts (the newest few, then how many more), shorter lists. */
const KIOSK_ALERTS_SHOWN = 3;
const KIOSK_ROWS_SHOWN = 5;

/** The open alerts as links to each (not prefetched: nav-links.tsx says why). */
function AlertStrip({ parts, live, kiosk }: Shared & { kiosk: boolean }) {
  const open: OpenAlerts = useLatest(live, (stats) => ({ alerts: stats.open_alerts, total: stats.open_alerts_total }), parts.open_alerts);
  if (open.alerts.length === 0) return null;
  const shown = kiosk ? open.alerts.slice(0, KIOSK_ALERTS_SHOWN) : open.alerts;
  const more = open.total - shown.length;
  return (
    <nav className={styles.alertStrip} aria-label="Open alerts" data-testid="open-alerts">
      {shown.map((alert) => (
        <Link key={alert.id} href={`/alerts/${alert.id}`} prefetch={false} className={styles.alertChip}>
          <SeverityBadge severity={alert.severity} /> <span className={styles.truncate}>{alert.title}: {alert.summary}</span>
        </Link>
      ))}
      {more > 0 && (
        <Link href="/alerts?status=open" prefetch={false} className={styles.alertChip} data-testid="more-alerts">
          +{more.toLocaleString('en-US')} more
        </Link>
      )}
    </nav>
  );
}

function Tiles({ parts, live, emptyHint, ...shared }: Shared & { emptyHint: string }) {
  const counts = useLatest(live, pickCounts, parts.counts);
  const range = rangeOf(live, shared.range);
  return (
    <>
      {counts.reported === 0 && (
        <section className={styles.empty} aria-labelledby="empty">
          <h2 id="empty">No event from your services in this range</h2>
          <p>Widen the range, or send a first event with an ingest key:</p>
          <pre>{emptyHint}</pre>
        </section>
      )}
      <div className={styles.tiles} data-testid="tiles">
        {counts.kpis.map((kpi) => (
          <KpiTile key={kpi.type} label={kpi.label} count={kpi.count} previous={kpi.previous} series={kpi.series} href={explorerHref({ type: kpi.type, ...range })} />
        ))}
      </div>
    </>
  );
}

function TypeChart({ parts, live }: Shared) {
  const counts = useLatest(live, pickCounts, parts.counts);
  return <SeriesChart title="Events by type" rows={counts.series} bucketMs={counts.bucket_ms} />;
}

function Reasons({ parts, live, range, kiosk }: Shared & { kiosk: boolean }) {
  const counts = useLatest(live, pickCounts, parts.counts);
  return <ReasonTable reasons={counts.reasons} range={rangeOf(live, range)} limit={kiosk ? KIOSK_ROWS_SHOWN : undefined} />;
}

function CustomRange({ live, range }: Shared) {
  const shown = rangeOf(live, range);
  return <p className={styles.flat}>Custom range: {shown.from} – {shown.to} (UTC)</p>;
}

const TOP_LISTS: ReadonlyArray<{ key: TopList; field: string; title: string }> = [
  { key: 'ips', field: 'ip', title: 'Top source IPs (failures)' },
  { key: 'usernames', field: 'username', title: 'Top targeted usernames (failures)' },
  { key: 'clients', field: 'client_id', title: 'Top clients (failures)' },
  { key: 'services', field: 'service', title: 'Top services (all events)' },
];

function rankedList(stats: OverviewStats, key: TopList): RankedList {
  return { rows: stats.top[key], exact: key === 'services' ? true : stats.top.exact[key] };
}

function Top({ parts, live, range, list, kiosk }: Shared & { list: (typeof TOP_LISTS)[number]; kiosk: boolean }) {
  const { rows, exact }: RankedList = useLatest(live, (stats) => rankedList(stats, list.key), parts.top[list.key]);
  return <TopTable title={list.title} field={list.field} rows={rows} exact={exact} range={rangeOf(live, range)} limit={kiosk ? KIOSK_ROWS_SHOWN : undefined} />;
}

/** Every widget of the overview, each drawn as its data arrives, each failing alone. */
export function OverviewWidgets({ emptyHint, custom, tileCount, kiosk = false, ...shared }: Shared & { emptyHint: string; custom: boolean; tileCount: number; kiosk?: boolean }) {
  const { retry } = shared;
  return (
    <>
      <Widget title="Open alerts" testId="alerts" skeleton={<StripSkeleton />} retry={retry}>
        <AlertStrip {...shared} kiosk={kiosk} />
      </Widget>
      <Widget title="Event counts" testId="tiles" skeleton={<TilesSkeleton count={tileCount} />} retry={retry}>
        <Tiles {...shared} emptyHint={emptyHint} />
      </Widget>
      <div className={styles.grid}>
        <Widget title="Events by type" testId="series-chart" skeleton={<ChartSkeleton title="Events by type" testId="series-chart" />} retry={retry}>
          <TypeChart {...shared} />
        </Widget>
        <Widget title="Failures by reason" testId="reasons" skeleton={<TableSkeleton title="Failures by reason" testId="reasons" />} retry={retry}>
          <Reasons {...shared} kiosk={kiosk} />
        </Widget>
      </div>
      <div className={styles.grid}>
        {TOP_LISTS.map((list) => (
          <Widget key={list.key} title={list.title} testId={`top-${list.field}`} skeleton={<TableSkeleton title={list.title} testId={`top-${list.field}`} />} retry={retry}>
            <Top {...shared} list={list} kiosk={kiosk} />
          </Widget>
        ))}
      </div>
      {custom && <CustomRange {...shared} />}
    </>
  );
}
