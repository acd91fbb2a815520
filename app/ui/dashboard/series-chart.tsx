'use client';

import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EVENT_TYPES, type EventType } from '@/lib/events/catalog';
import styles from './dashboard.module.css';
import { explorerHref } from './explorer-href';
import { TYPE_COLOURS } from './type-colours';

export type SeriesRow = { bucket: number } & Partial<Record<EventType, number>>;

const subscribe = () => () => {};
const useMounted = () => useSyncExternalStore(subscribe, () => true, () => false);

function tick(bucketMs: number) {
  return (bucket: number) => {
    const date = new Date(bucket);
    return bucketMs >= 86_400_000 ? date.toLocaleDateString() : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  };
}

/**
 * Events per bucket stacked by type. The legend hides a series on click; the
 * tooltip gives exact counts and the bucket's span; a click on a bar opens the
 * explorer on that bucket. Drawn after hydration (it measures its box).
 */
export function SeriesChart({ title, rows, bucketMs, types = EVENT_TYPES, filters = {} }: {
  title: string;
  rows: readonly SeriesRow[];
  bucketMs: number;
  types?: readonly EventType[];
  filters?: Record<string, string | readonly string[]>;
}) {
  const mounted = useMounted();
  const router = useRouter();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const shown = types.filter((type) => rows.some((row) => (row[type] ?? 0) > 0));
  const unit = bucketMs >= 86_400_000 ? 'day' : bucketMs >= 3_600_000 ? 'hour' : 'minute';
  return (
    <figure className={styles.panel} aria-label={title}>
      <figcaption>
        <h2>
          {title} <small>(events per {unit})</small>
        </h2>
      </figcaption>
      <div className={styles.chart} data-testid="series-chart">
        {mounted && (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              data={rows as SeriesRow[]}
              onClick={(state) => {
                const index = Number(state?.activeTooltipIndex);
                const row = Number.isInteger(index) ? rows[index] : undefined;
                if (row) router.push(explorerHref({ ...filters, from: new Date(row.bucket).toISOString(), to: new Date(row.bucket + bucketMs).toISOString() }));
              }}
            >
              <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
              <XAxis dataKey="bucket" tickFormatter={tick(bucketMs)} minTickGap={24} />
              <YAxis allowDecimals={false} label={{ value: 'events', angle: -90, position: 'insideLeft' }} />
              <Tooltip
                labelFormatter={(bucket) => `${new Date(Number(bucket)).toLocaleString()} – ${new Date(Number(bucket) + bucketMs).toLocaleTimeString()}`}
              />
              <Legend onClick={(entry) => {
                const key = String(entry.dataKey);
                setHidden((current) => {
                  const next = new Set(current);
                  if (next.has(key)) next.delete(key);
                  else next.add(key);
                  return next;
                });
              }} />
              {(shown.length > 0 ? shown : types.slice(0, 1)).map((type) => (
                <Bar key={type} dataKey={type} name={type} stackId="types" fill={TYPE_COLOURS[type]} hide={hidden.has(type)} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
