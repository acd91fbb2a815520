import Link from 'next/link';
import type { AlertStatusCounts } from '@/lib/store/store';
import styles from '../dashboard/dashboard.module.css';

const STATUSES = ['open', 'acknowledged', 'resolved'] as const;

function statusHref(search: URLSearchParams, status: string | null): string {
  const next = new URLSearchParams(search);
  next.delete('status');
  next.delete('cursor');
  if (status) next.set('status', status);
  return `/alerts?${next}`;
}

/**
 * The alerts page's status tabs, under its title and above its filter form,
 * as the time presets sit on the overview and the explorer: "all", then each
 * status with its count under the other filters once the count is known.
 */
export function StatusTabs({ search, counts }: { search: URLSearchParams; counts: AlertStatusCounts | null }) {
  return (
    <nav className={styles.ranges} aria-label="Status" data-testid="status-tabs">
      <Link href={statusHref(search, null)} className={styles.rangeLink} aria-current={search.has('status') ? undefined : 'true'}>
        all
      </Link>
      {STATUSES.map((status) => (
        <Link key={status} href={statusHref(search, status)} className={styles.rangeLink} aria-current={search.getAll('status').includes(status) ? 'true' : undefined}>
          {status}
          {counts && ` (${counts[status].toLocaleString('en-US')})`}
        </Link>
      ))}
    </nav>
  );
}
