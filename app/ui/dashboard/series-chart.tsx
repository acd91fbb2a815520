'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { EVENT_TYPES, type EventType } from '@/lib/events/catalog';
import { ChartLegend, ChartTable, chartSummary } from './chart-text';
import styles from './dashboard.module.css';
import { explorerHref } from './explorer-href';
import { TYPE_COLOURS } from './type-colours';

export type SeriesRow = { bucket: number } & Partial<Record<EventType, number>>;

const subscribe = () => () => {};
const useMounted = () => useSyncExternalStore(subscribe, () => true, () => false);

// Formatters made once: toLocale…String with options builds a new one per call, and recharts formats every tick on each render.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'date' | 'minute' | 'time' | 'full'): Intl.DateTimeFormat {
  const options: Record<typeof kind, Intl.DateTimeFormatOptions> = {
    date: { year: 'numeric', month: 'numeric', day: 'numeric' },
    minute: { hour: '2-digit', minute: '2-digit' },
    time: { hour: 'numeric', minute: 'numeric', second: 'numeric' },
    full: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
  };
  let made = formatters.get(kind);
  if (!made) formatters.set(kind, (made = new Intl.DateTimeFormat(undefined, options[kind])));
  return made;
}

function tick(bucketMs: number) {
  const format = formatter(bucketMs >= 86_400_000 ? 'date' : 'minute');
  return (bucket: number) => format.format(bucket);
}

/**
 * Show every n-th tick label, at most eight across the axis: a fixed interval
 * spares recharts measuring each label's text in the page (a forced layout per
 * label) to decide which ones fit.
 */
const MAX_TICKS = 8;
const tickInterval = (buckets: number) => Math.max(0, Math.ceil(buckets / MAX_TICKS) - 1);

/**
 * Events per bucket stacked by type. The legend (buttons) hides a series; the
 * tooltip gives exact counts and the bucket's span; a click on a bar opens the
 * explorer on that bucket. Its text alternative: an accessible name, a summary
 * as its description, and the table of the plotted series with a link per
 * bucket (the keyboard's way into the explorer). Drawn after hydration: the
 * chart measures its box as it mounts (`responsive`), in the same commit, not
 * a frame later as ResponsiveContainer's observer would.
 */
export function SeriesChart({ title, rows, bucketMs, types = EVENT_TYPES, filters = {}, testId = 'series-chart' }: {
  title: string;
  rows: readonly SeriesRow[];
  bucketMs: number;
  types?: readonly EventType[];
  filters?: Record<string, string | readonly string[]>;
  testId?: string;
}) {
  const mounted = useMounted();
  const router = useRouter();
  const id = useId();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const present = types.filter((type) => rows.some((row) => (row[type] ?? 0) > 0));
  const shown = present.length > 0 ? present : types.slice(0, 1);
  const unit = bucketMs >= 86_400_000 ? 'day' : bucketMs >= 3_600_000 ? 'hour' : 'minute';
  const bucketHref = (bucket: number) => explorerHref({ ...filters, from: new Date(bucket).toISOString(), to: new Date(bucket + bucketMs).toISOString() });
  const toggle = (type: EventType) =>
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });
  return (
    <figure className={styles.panel} aria-labelledby={`${id}-title`} data-testid={`${testId}-panel`}>
      <figcaption>
        <h2 id={`${id}-title`}>
          {title} <small>(events per {unit})</small>
        </h2>
      </figcaption>
      <p id={`${id}-summary`} className="visually-hidden" data-testid={`${testId}-summary`}>
        {chartSummary(rows, shown, unit)}
      </p>
      <div className={styles.chart} data-testid={testId} role="group" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`}>
        {mounted && (
          <BarChart
            responsive
            style={{ width: '100%', height: '100%' }}
            data={rows as SeriesRow[]}
            accessibilityLayer
            title={title}
            onClick={(state) => {
              const index = Number(state?.activeTooltipIndex);
              const row = Number.isInteger(index) ? rows[index] : undefined;
              if (row) router.push(bucketHref(row.bucket));
            }}
          >
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            <XAxis dataKey="bucket" tickFormatter={tick(bucketMs)} interval={tickInterval(rows.length)} />
            <YAxis interval={0} allowDecimals={false} label={{ value: 'events', angle: -90, position: 'insideLeft' }} />
            <Tooltip
              labelFormatter={(bucket) => `${formatter('full').format(Number(bucket))} – ${formatter('time').format(Number(bucket) + bucketMs)}`}
            />
            {shown.map((type) => (
              <Bar key={type} dataKey={type} name={type} stackId="types" fill={TYPE_COLOURS[type]} hide={hidden.has(type)} isAnimationActive={false} />
            ))}
          </BarChart>
        )}
      </div>
      <ChartLegend types={shown} hidden={hidden} onToggle={toggle} />
      <ChartTable title={title} rows={rows} columns={shown} href={(bucket) => bucketHref(bucket)} />
    </figure>
  );
}
