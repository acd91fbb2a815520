'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { OverviewStats } from '@/lib/stats/overview-stats';
import { SeverityBadge } from '../severity-badge';
import styles from './dashboard.module.css';
import { explorerHref } from './explorer-href';
import { KpiTile } from './kpi-tile';
import { LiveQueryProvider, LiveToggle } from './live-query';
import { RangePicker } from './range-picker';
import { SeriesChart } from './series-chart';
import { TopTable, ReasonTable } from './top-table';

const POLL_MS = 10_000;

async function fetchOverview(query: string): Promise<OverviewStats> {
  const response = await fetch(`/api/v1/stats/overview?${query}`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the overview could not be read (HTTP ${response.status})`);
  return (await response.json()) as OverviewStats;
}

function Overview({ initial, query, preset, kiosk, emptyHint, grafanaUrl }: Props) {
  const [live, setLive] = useState(true);
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: ['overview', query],
    queryFn: () => fetchOverview(query),
    initialData: initial,
    refetchInterval: live ? POLL_MS : false,
  });
  // A preset slides with the clock; a custom range stays where it is.
  const span = preset ? {} : { from: data.from, to: data.to };
  const range = { from: data.from, to: data.to };
  return (
    <div className={kiosk ? styles.kiosk : undefined} data-kiosk={kiosk ? '' : undefined}>
      <div className={styles.toolbar}>
        <h1>Overview</h1>
        {grafanaUrl && !kiosk && <a href={grafanaUrl}>Open in Grafana (same range)</a>}
        <LiveToggle live={live} onToggle={() => setLive(!live)} fetching={isFetching} className={styles.live} dotClass={live ? styles.liveDot : styles.pausedDot} />
      </div>
      {!kiosk && <RangePicker current={preset} />}
      {error && (
        <p role="alert">
          {error.message} <button type="button" className="secondary" onClick={() => void refetch()}>Retry</button>
        </p>
      )}
      {data.open_alerts.length > 0 && (
        <nav className={styles.alertStrip} aria-label="Open alerts">
          {data.open_alerts.map((alert) => (
            <Link key={alert.id} href={`/alerts/${alert.id}`} className={styles.alertChip}>
              <SeverityBadge severity={alert.severity} /> <span className={styles.truncate}>{alert.title}: {alert.summary}</span>
            </Link>
          ))}
        </nav>
      )}
      {data.reported === 0 && (
        <section className={styles.empty} aria-labelledby="empty">
          <h2 id="empty">No event from your services in this range</h2>
          <p>Widen the range, or send a first event with an ingest key:</p>
          <pre>{emptyHint}</pre>
        </section>
      )}
      <div className={styles.tiles}>
        {data.kpis.map((kpi) => (
          <KpiTile key={kpi.type} label={kpi.label} count={kpi.count} previous={kpi.previous} series={kpi.series} href={explorerHref({ type: kpi.type, ...range })} />
        ))}
      </div>
      <div className={styles.grid}>
        <SeriesChart title="Events by type" rows={data.series} bucketMs={data.bucket_ms} />
        <ReasonTable reasons={data.reasons} range={range} />
      </div>
      <div className={styles.grid}>
        <TopTable title="Top source IPs (failures)" field="ip" rows={data.top.ips} exact={data.top.exact.ips} range={range} />
        <TopTable title="Top targeted usernames (failures)" field="username" rows={data.top.usernames} exact={data.top.exact.usernames} range={range} />
        <TopTable title="Top clients (failures)" field="client_id" rows={data.top.clients} exact={data.top.exact.clients} range={range} />
        <TopTable title="Top services (all events)" field="service" rows={data.top.services} range={range} />
      </div>
      {Object.keys(span).length > 0 && <p className={styles.flat}>Custom range: {data.from} – {data.to} (UTC)</p>}
    </div>
  );
}

type Props = { initial: OverviewStats; query: string; preset: string | null; kiosk: boolean; emptyHint: string; grafanaUrl: string | null };

/** The overview's body: server-rendered first, then polled every 10 s while live and the tab is visible. */
export function OverviewLive(props: Props) {
  return (
    <LiveQueryProvider>
      <Overview {...props} />
    </LiveQueryProvider>
  );
}
