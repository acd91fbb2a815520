import Link from 'next/link';
import { parseAlertSearchParams } from '@/lib/alerts/alert-search-params';
import { listAlerts } from '@/lib/alerts/list-alerts';
import { RULES } from '@/lib/detection/rule-catalog';
import { AuthwatchError } from '@/lib/errors';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import styles from '@/app/ui/dashboard/dashboard.module.css';
import { toSearch } from '@/app/ui/explorer/explorer-url';
import { LocalTime } from '@/app/ui/local-time';
import { SeverityBadge } from '@/app/ui/severity-badge';
import { StatusBadge } from '@/app/ui/status-badge';

export const metadata = { title: 'Alerts · authwatch' };

const STATUSES = ['open', 'acknowledged', 'resolved'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

function keyText(key: Record<string, string | undefined>): string {
  return Object.entries(key)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => `${field}=${value}`)
    .join(' ');
}

/** `/alerts`: newest first, filtered by status, severity, rule and service (in the URL), with the count of each status. */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage('PAGE /alerts');
  const search = toSearch(await searchParams);
  for (const [name, value] of [...search]) if (value === '') search.delete(name);
  const ctx = requestContext();
  let result;
  try {
    result = await listAlerts({ ctx, input: parseAlertSearchParams(search) });
  } catch (error) {
    if (!(error instanceof AuthwatchError)) throw error;
    return (
      <p role="alert">
        These filters cannot be read: {error.message}. <Link href="/alerts">Clear all filters</Link>
      </p>
    );
  }
  const statusHref = (status: string | null) => {
    const next = new URLSearchParams(search);
    next.delete('status');
    next.delete('cursor');
    if (status) next.set('status', status);
    return `/alerts?${next}`;
  };
  const services = ctx.store.listServices();
  return (
    <>
      <h1>Alerts</h1>
      <nav className={styles.ranges} aria-label="Status">
        <Link href={statusHref(null)} className={styles.rangeLink} aria-current={search.has('status') ? undefined : 'true'}>
          all
        </Link>
        {STATUSES.map((status) => (
          <Link key={status} href={statusHref(status)} className={styles.rangeLink} aria-current={search.getAll('status').includes(status) ? 'true' : undefined}>
            {status} ({result.counts[status].toLocaleString('en-US')})
          </Link>
        ))}
      </nav>
      <form method="get" action="/alerts" className={styles.toolbar}>
        {search.getAll('status').map((status) => (
          <input key={status} type="hidden" name="status" value={status} />
        ))}
        <span>
          <label htmlFor="alert-severity">Severity</label>
          <select id="alert-severity" name="severity" defaultValue={search.get('severity') ?? ''}>
            <option value="">any</option>
            {SEVERITIES.map((severity) => (
              <option key={severity}>{severity}</option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor="alert-rule">Rule</label>
          <select id="alert-rule" name="rule" defaultValue={search.get('rule') ?? ''}>
            <option value="">any</option>
            {RULES.map((rule) => (
              <option key={rule.id} value={rule.id}>
                {rule.title}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor="alert-service">Service</label>
          <select id="alert-service" name="service" defaultValue={search.get('service') ?? ''}>
            <option value="">any</option>
            {services.map((service) => (
              <option key={service.id}>{service.name}</option>
            ))}
          </select>
        </span>
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      {result.alerts.length === 0 ? (
        <p className={styles.empty}>No alert matches. Alerts appear here when a detection rule fires on stored events.</p>
      ) : (
        <table data-testid="alerts">
          <thead>
            <tr>
              <th scope="col">Last seen</th>
              <th scope="col">Severity</th>
              <th scope="col">Rule</th>
              <th scope="col">Key</th>
              <th scope="col">Summary</th>
              <th scope="col" className="number">Events</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {result.alerts.map((alert) => (
              <tr key={alert.id}>
                <td>{alert.last_seen && <LocalTime iso={alert.last_seen} />}</td>
                <td>
                  <SeverityBadge severity={alert.severity} />
                </td>
                <td>
                  <Link href={`/alerts/${alert.id}`}>{alert.title}</Link>
                </td>
                <td className="mono">
                  <span className={styles.truncate}>{keyText(alert.key)}</span>
                </td>
                <td>
                  <span className={styles.truncate} title={alert.summary}>
                    {alert.summary}
                  </span>
                </td>
                <td className="number">{alert.count.toLocaleString('en-US')}</td>
                <td>
                  <StatusBadge status={alert.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.next_cursor !== null && (
        <nav className={styles.pager} aria-label="Pages">
          <Link href={`/alerts?${new URLSearchParams([...search.entries()].filter(([name]) => name !== 'cursor').concat([['cursor', String(result.next_cursor)]]))}`}>Older →</Link>
        </nav>
      )}
    </>
  );
}
