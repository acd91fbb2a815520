'use client';

import { useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import styles from '../dashboard/dashboard.module.css';

const subscribe = () => () => {};

/** The alert's evidence over its span: events per bucket (at most 60 buckets), drawn after hydration. */
export function EvidenceTimeline({ times }: { times: readonly string[] }) {
  const mounted = useSyncExternalStore(subscribe, () => true, () => false);
  const stamps = times.map((time) => Date.parse(time)).filter(Number.isFinite);
  if (stamps.length === 0) return null;
  const first = Math.min(...stamps);
  const last = Math.max(...stamps);
  const size = Math.max(1000, Math.ceil((last - first + 1) / 60 / 1000) * 1000);
  const rows = Array.from({ length: Math.floor((last - first) / size) + 1 }, (_, index) => ({ bucket: first + index * size, events: 0 }));
  for (const stamp of stamps) rows[Math.floor((stamp - first) / size)].events += 1;
  return (
    <figure className={styles.panel} aria-label="Evidence over time">
      <figcaption>
        <h2>
          Evidence over time <small>(events per {size / 1000} s)</small>
        </h2>
      </figcaption>
      <div className={styles.chart}>
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
    </figure>
  );
}
