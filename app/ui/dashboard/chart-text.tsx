'use client';

import { useState } from 'react';
import type { EventType } from '@/lib/events/catalog';
import { LocalTime } from '../local-time';
import styles from './dashboard.module.css';
import { formatCount } from './kpi-tile';
import { TYPE_COLOURS } from './type-colours';
import type { SeriesRow } from './series-chart';

const total = (row: SeriesRow, types: readonly EventType[]) => types.reduce((sum, type) => sum + (row[type] ?? 0), 0);

/** One sentence for assistive technology: the total, the busiest bucket (UTC, the same on server and client) and the count per type. */
export function chartSummary(rows: readonly SeriesRow[], types: readonly EventType[], unit: string): string {
  const sum = rows.reduce((acc, row) => acc + total(row, types), 0);
  if (sum === 0) return `No events in this range: every ${unit} is zero.`;
  const peak = rows.reduce((best, row) => (total(row, types) > total(best, types) ? row : best), rows[0]);
  const perType = types.map((type) => `${type} ${formatCount(rows.reduce((acc, row) => acc + (row[type] ?? 0), 0))}`).join(', ');
  return `${formatCount(sum)} events over ${rows.length} ${unit}s; the busiest ${unit} began ${new Date(peak.bucket).toISOString()} (UTC) with ${formatCount(total(peak, types))}. By type: ${perType}.`;
}

/** The legend as buttons (keyboard-reachable): each shows or hides its series; the name always stands beside the colour. */
export function ChartLegend({ types, hidden, onToggle }: { types: readonly EventType[]; hidden: ReadonlySet<string>; onToggle: (type: EventType) => void }) {
  return (
    <ul className={styles.legend} aria-label="Series (press to hide or show)">
      {types.map((type) => (
        <li key={type}>
          <button type="button" className={styles.legendButton} aria-pressed={!hidden.has(type)} onClick={() => onToggle(type)}>
            <span className={styles.swatch} style={{ background: TYPE_COLOURS[type] }} aria-hidden="true" />
            {type}
          </button>
        </li>
      ))}
    </ul>
  );
}

type Row = { bucket: number } & Partial<Record<string, number>>;

/**
 * The table behind a chart: one row per bucket, a column per series and their
 * total; with `href`, each bucket a link (the keyboard's way into the
 * explorer). Built when first opened: closed, it is hidden from everyone, and
 * its hundreds of cells would only slow the page's first paint.
 */
export function ChartTable({ title, rows, columns, href }: { title: string; rows: readonly Row[]; columns: readonly string[]; href?: (bucket: number) => string }) {
  const [opened, setOpened] = useState(false);
  return (
    <details className={styles.chartTable} onToggle={(event) => setOpened(opened || event.currentTarget.open)}>
      <summary>Show the data as a table</summary>
      {opened && <BucketTable title={title} rows={rows} columns={columns} href={href} />}
    </details>
  );
}

function BucketTable({ title, rows, columns, href }: { title: string; rows: readonly Row[]; columns: readonly string[]; href?: (bucket: number) => string }) {
  return (
    <table>
      <caption className="visually-hidden">{title}</caption>
      <thead>
        <tr>
          <th scope="col">Bucket start</th>
          {columns.map((column) => (
            <th key={column} scope="col" className="number">
              {column}
            </th>
          ))}
          {columns.length > 1 && (
            <th scope="col" className="number">
              Total
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const time = <LocalTime iso={new Date(row.bucket).toISOString()} />;
          return (
            <tr key={row.bucket}>
              <th scope="row">{href ? <a href={href(row.bucket)}>{time}</a> : time}</th>
              {columns.map((column) => (
                <td key={column} className="number">
                  {formatCount(row[column] ?? 0)}
                </td>
              ))}
              {columns.length > 1 && <td className="number">{formatCount(columns.reduce((sum, column) => sum + (row[column] ?? 0), 0))}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
