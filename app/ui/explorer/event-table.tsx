import Link from 'next/link';
import type { EventView } from '@/lib/events/search-events';
import badges from '../badge.module.css';
import styles from '../dashboard/dashboard.module.css';
import { LocalTime } from '../local-time';
import { fieldOf } from './event-fields';
import { withFilter } from './explorer-url';

function FilterLink({ search, param, value }: { search: URLSearchParams; param: string; value: string | undefined }) {
  if (value === undefined) return <span className={styles.flat}>—</span>;
  return (
    <Link href={withFilter(search, param, value)} prefetch={false} className={styles.truncate} title={`Filter on ${param}: ${value}`}>
      {value}
    </Link>
  );
}

/**
 * One event a line, newest first: time, type and reason badges, values that add
 * a filter, a link to the detail. No link is prefetched (nav-links.tsx says
 * why): a page of 100 events has some 500 of them.
 */
export function EventTable({ events, search }: { events: readonly EventView[]; search: URLSearchParams }) {
  return (
    <table data-testid="events">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Type</th>
          <th scope="col">Reason</th>
          <th scope="col">Service</th>
          <th scope="col">Source IP</th>
          <th scope="col">Username</th>
          <th scope="col">Client</th>
          <th scope="col">Target</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => {
          const target = [fieldOf(event, 'target', 'method'), fieldOf(event, 'target', 'path')].filter(Boolean).join(' ');
          return (
            <tr key={event.seq}>
              <td>
                <LocalTime iso={String(event.time)} />
              </td>
              <td>
                <Link href={withFilter(search, 'type', String(event.type))} prefetch={false} className={badges.badge}>
                  {String(event.type)}
                </Link>
              </td>
              <td>{fieldOf(event, 'reason') ? <span className={badges.badge}>{fieldOf(event, 'reason')}</span> : '—'}</td>
              <td>
                <FilterLink search={search} param="service" value={fieldOf(event, 'service')} />
              </td>
              <td className="mono">
                <FilterLink search={search} param="ip" value={fieldOf(event, 'source', 'ip')} />
              </td>
              <td>
                <FilterLink search={search} param="username" value={fieldOf(event, 'actor', 'username')} />
              </td>
              <td>
                <FilterLink search={search} param="client_id" value={fieldOf(event, 'actor', 'client_id')} />
              </td>
              <td>
                <span className={styles.truncate} title={target}>
                  {target || '—'}
                </span>
              </td>
              <td>
                <Link href={`/events/${event.seq}`} prefetch={false} aria-label={`Event ${event.seq}`}>
                  #{event.seq}
                </Link>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
