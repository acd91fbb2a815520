import styles from './dashboard.module.css';
import { explorerHref } from './explorer-href';
import { formatCount } from './kpi-tile';

type Range = { from: string; to: string };

type Row = { value: string; count: number; margin?: number };

/**
 * A top-N list: each value a link into the explorer with that filter and the
 * range; values are text only. When the store could not make the list exact
 * (`exact` false: days before today keep only their most frequent values), it
 * says so, and a count that may be low reads "≥ n" with its upper limit.
 */
export function TopTable({ title, field, rows: all, range, exact = true, limit }: { title: string; field: string; rows: ReadonlyArray<Row>; range: Range; exact?: boolean; limit?: number }) {
  const rows = all.slice(0, limit);
  const max = Math.max(1, ...rows.map((row) => row.count));
  const id = `top-${field}`;
  return (
    <section className={styles.panel} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p className={styles.flat}>None in this range.</p>
      ) : (
        <table data-testid={id} className={styles.ranked}>
          <thead>
            <tr>
              <th scope="col">Value</th>
              <th scope="col" className="number">Events</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.value}>
                <td>
                  <a href={explorerHref({ [field]: row.value, ...range })} className={styles.truncate} title={row.value}>
                    {row.value}
                  </a>
                  <div className={styles.bar} style={{ width: `${(row.count / max) * 100}%` }} />
                </td>
                <td className="number" title={row.margin ? `between ${row.count} and ${row.count + row.margin}` : undefined}>
                  {row.margin ? `≥ ${formatCount(row.count)}` : formatCount(row.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreRows count={all.length - rows.length} />
      {!exact && (
        <p className={styles.flat} data-testid={`${id}-approximate`}>
          Approximate: days before today keep only their 200 most frequent values, so a count marked ≥ may be higher and a value just below the last row may be missing.
        </p>
      )}
    </section>
  );
}

/** How many rows a capped list left out (the wall screen shows fewer rows than the page). */
function MoreRows({ count }: { count: number }) {
  return count > 0 ? <p className={styles.flat}>+{formatCount(count)} more not shown</p> : null;
}

/** The breakdown by reason: which failures, by type; each a link to those events. */
export function ReasonTable({ reasons: all, range, limit }: { reasons: ReadonlyArray<{ type: string; reason: string; count: number }>; range: Range; limit?: number }) {
  const reasons = all.slice(0, limit);
  return (
    <section className={styles.panel} aria-labelledby="reasons">
      <h2 id="reasons">Failures by reason</h2>
      {reasons.length === 0 ? (
        <p className={styles.flat}>No failures in this range.</p>
      ) : (
        <table data-testid="reasons" className={styles.ranked}>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Reason</th>
              <th scope="col" className="number">Events</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map((row) => (
              <tr key={`${row.type}:${row.reason}`}>
                <td>{row.type}</td>
                <td>
                  <a href={explorerHref({ type: row.type, reason: row.reason, ...range })}>{row.reason}</a>
                </td>
                <td className="number">{formatCount(row.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreRows count={all.length - reasons.length} />
    </section>
  );
}
