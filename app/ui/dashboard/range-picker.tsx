'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import styles from './dashboard.module.css';

const PRESETS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;

/** `datetime-local` text in the viewer's zone → RFC 3339 UTC, or null when empty or unreadable. */
function toIso(local: string): string | null {
  const time = new Date(local).getTime();
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** The shared time range: presets as links (the back button undoes them; not prefetched, as nav-links.tsx says why) and a custom from/to in the viewer's zone. */
export function RangePicker({ current }: { current: string | null }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const router = useRouter();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const hrefFor = (range: string) => {
    const next = new URLSearchParams(search.toString());
    next.delete('from');
    next.delete('to');
    next.delete('cursor');
    next.set('range', range);
    return `${pathname}?${next}`;
  };
  return (
    <div className={styles.toolbar}>
      <nav className={styles.ranges} aria-label="Time range">
        {PRESETS.map((range) => (
          <Link key={range} href={hrefFor(range)} prefetch={false} className={styles.rangeLink} aria-current={current === range ? 'true' : undefined}>
            {range}
          </Link>
        ))}
      </nav>
      <form
        className={styles.custom}
        onSubmit={(event) => {
          event.preventDefault();
          const since = toIso(from);
          if (!since) return;
          const next = new URLSearchParams(search.toString());
          next.delete('range');
          next.delete('cursor');
          next.set('from', since);
          const until = toIso(to);
          if (until) next.set('to', until);
          else next.delete('to');
          router.push(`${pathname}?${next}`);
        }}
      >
        <span>
          <label htmlFor="range-from">From (local)</label>
          <input id="range-from" type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} />
        </span>
        <span>
          <label htmlFor="range-to">To (local)</label>
          <input id="range-to" type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} />
        </span>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
    </div>
  );
}
