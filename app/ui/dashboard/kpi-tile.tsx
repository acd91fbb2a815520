import styles from './dashboard.module.css';

const numbers = new Intl.NumberFormat('en-US');

/** A sparkline as an SVG polyline, scaled to its own maximum; all zero draws a flat line at the bottom. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? 100 / (values.length - 1) : 100;
  const points = values.map((value, index) => `${(index * step).toFixed(2)},${(28 - (value / max) * 26).toFixed(2)}`).join(' ');
  return (
    <svg className={styles.sparkline} viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

/** The change against the previous period: ↑/↓ with a percentage; for failures up is bad (red). */
export function Change({ count, previous }: { count: number; previous: number }) {
  if (count === previous) return <p className={styles.flat}>= same as previous period</p>;
  if (previous === 0) return <p className={styles.up}>↑ new (none in previous period)</p>;
  const percent = Math.round(((count - previous) / previous) * 100);
  return count > previous ? (
    <p className={styles.up}>↑ {numbers.format(percent)}% vs previous period</p>
  ) : (
    <p className={styles.down}>↓ {numbers.format(Math.abs(percent))}% vs previous period</p>
  );
}

export function KpiTile({ label, count, previous, series, href }: { label: string; count: number; previous: number; series: readonly number[]; href: string }) {
  return (
    <div className={styles.tile} data-testid={`kpi-${label}`}>
      <p className={styles.tileLabel}>
        <a href={href}>{label}</a> <span>(events)</span>
      </p>
      <p className={styles.tileValue} data-testid="kpi-value">
        {numbers.format(count)}
      </p>
      <Change count={count} previous={previous} />
      <Sparkline values={series} label={`${label} over the range`} />
    </div>
  );
}

export function formatCount(count: number): string {
  return numbers.format(count);
}
