'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { OverviewParts, OverviewStats } from '@/lib/stats/overview-stats';
import styles from './dashboard.module.css';
import { LiveQueryProvider, LiveToggle } from './live-query';
import { OverviewWidgets } from './overview-widgets';
import { RangePicker } from './range-picker';

const POLL_MS = 10_000;

async function fetchOverview(query: string): Promise<OverviewStats> {
  const response = await fetch(`/api/v1/stats/overview?${query}`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the overview could not be read (HTTP ${response.status})`);
  return (await response.json()) as OverviewStats;
}

function Overview({ parts, range, query, preset, kiosk, emptyHint, grafanaUrl, tileCount }: Props) {
  const [live, setLive] = useState(true);
  // The server streams the first figures widget by widget; polling starts one period later.
  const [due, setDue] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setDue(true), POLL_MS);
    return () => clearTimeout(timer);
  }, []);
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: ['overview', query],
    queryFn: () => fetchOverview(query),
    enabled: live && due,
    refetchInterval: live ? POLL_MS : false,
  });
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
      <OverviewWidgets parts={parts} live={data} range={range} retry={() => refetch()} emptyHint={emptyHint} custom={!preset} tileCount={tileCount} kiosk={kiosk} />
    </div>
  );
}

type Props = { parts: OverviewParts; range: { from: string; to: string }; query: string; preset: string | null; kiosk: boolean; emptyHint: string; grafanaUrl: string | null; tileCount: number };

/** The overview's body: streamed from the server widget by widget, then polled every 10 s while live and the tab is visible. */
export function OverviewLive(props: Props) {
  return (
    <LiveQueryProvider>
      <Overview {...props} />
    </LiveQueryProvider>
  );
}
