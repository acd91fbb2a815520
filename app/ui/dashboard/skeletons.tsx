import type { ReactNode } from 'react';
import styles from './dashboard.module.css';
import shapes from './skeleton.module.css';

/** A widget still loading: its shape in placeholders, busy for assistive technology, named by `label`. */
function Loading({ label, testId, className, children }: { label: string; testId: string; className?: string; children: ReactNode }) {
  return (
    <div className={className} aria-busy="true" data-testid={`skeleton-${testId}`}>
      <span className="visually-hidden" role="status">
        Loading {label}…
      </span>
      <div aria-hidden="true">{children}</div>
    </div>
  );
}

const widths = ['80%', '65%', '72%', '50%', '60%', '45%', '70%', '55%'];

function Line({ width }: { width: string }) {
  return <span className={`${shapes.block} ${shapes.line}`} style={{ width }} />;
}

/** The KPI tiles: `count` tiles with a label, a value, a change line and a sparkline. */
export function TilesSkeleton({ count }: { count: number }) {
  return (
    <Loading label="the tiles" testId="tiles" className={styles.tiles}>
      {Array.from({ length: count }, (_, index) => (
        <div key={index} className={styles.tile}>
          <Line width="60%" />
          <span className={`${shapes.block} ${shapes.value}`} />
          <Line width="70%" />
          <span className={`${shapes.block} ${shapes.spark}`} />
        </div>
      ))}
    </Loading>
  );
}

/** A chart panel: its title (known before the data) and the plot area. */
export function ChartSkeleton({ title, testId }: { title: string; testId: string }) {
  return (
    <Loading label={title} testId={testId} className={styles.panel}>
      <h2>{title}</h2>
      <span className={`${shapes.block} ${shapes.chart}`} />
    </Loading>
  );
}

/** A table panel: its title and `rows` lines. */
export function TableSkeleton({ title, testId, rows = 6, panel = true }: { title?: string; testId: string; rows?: number; panel?: boolean }) {
  return (
    <Loading label={title ?? 'the table'} testId={testId} className={panel ? styles.panel : undefined}>
      {title && <h2>{title}</h2>}
      {Array.from({ length: rows }, (_, index) => (
        <Line key={index} width={widths[index % widths.length]} />
      ))}
    </Loading>
  );
}

/** The open-alert strip: a few chips. */
export function StripSkeleton() {
  return (
    <Loading label="the open alerts" testId="alerts" className={styles.alertStrip}>
      <span className={`${shapes.block} ${shapes.chip}`} />
      <span className={`${shapes.block} ${shapes.chip}`} />
    </Loading>
  );
}
