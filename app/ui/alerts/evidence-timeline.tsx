'use client';

import { useId, useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import styles from '../dashboard/dashboard.module.css';
import { ChartTable } from '../dashboard/chart-text';

const subscribe = () => () => {};

/**
 * The alert's evidence over its span: events per bucket (at most 60 buckets),
 * drawn after hydration; its text alternative is a summary (the description)
 * and the table of the buckets.
 */
export function EvidenceTimeline({ times }: { times: readonly string[] }) {
  const mounted = useSyncExternalStore(subscribe, () => true, () => false);
  const id = useId();
  const stamps = times.map((time) => Date.parse(time)).filter(Number.isFinite);
  if (stamps.length === 0) return null;
  const first = Math.min(...stamps);
  const last = Math.max(...stamps);
  const size = Math.max(1000, Math.ceil((last - first + 1) / 60 / 1000) * 1000);
  const rows = Array.from({ length: Math.floor((last - first) / size) + 1 }, (_, index) => ({ bucket: first + index * size, events: 0 }));
  for (const stamp of stamps) rows[Math.floor((stamp - first) / size)].events += 1;
  return (
    <figure className={styles.panel} aria-labelledby={`${id}-title`}>
      <figcaption>
        <h2 id={`${id}-title`}>
          Evidence over time <small>(events per {size / 1000} s)</small>
        </h2>
      </figcaption>
      <p id={`${id}-summary`} className="visually-hidden">
        {stamps.length} evidence events from {new Date(first).toISOString()} to {new Date(last).toISOString()} (UTC), at most {Math.max(...rows.map((row) => row.events))} in one
        bucket of {size / 1000} s.
      </p>
      <div className={styles.chart} role="group" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`}>
        {mounted && (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
              <XAxis dataKey="bucket" tickFormatter={(bucket: number) => new Date(bucket).toLocaleTimeString()} minTickGap={24} />
              <YAxis allowDecimals={false} label={{ value: 'events', angle: -90, position: 'insideLeft' }} />
              <Tooltip labelFormatter={(bucket) => `${new Date(Number(bucket)).toLocaleString()} (+${size / 1000} s)`} />
              <Bar dataKey="events" fill="var(--severity-high)" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
      <ChartTable title={`Evidence events per ${size / 1000} s`} rows={rows} columns={['events']} />
    </figure>
  );
}
