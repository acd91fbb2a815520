import Link from 'next/link';
import { Suspense } from 'react';
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
import { StatusTabs } from '@/app/ui/alerts/status-tabs';
import { TableSkeleton } from '@/app/ui/dashboard/skeletons';
import { WidgetBoundary } from '@/app/ui/widget-boundary';
import { FilterError } from '@/app/ui/filter-error';

export const metadata = { title: 'Alerts · authwatch' };

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

function keyText(key: Record<string, string | undefined>): string {
  return Object.entries(key)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => `${field}=${value}`)
    .join(' ');
}

/** One filter as a labelled select, "any" first; the URL's value selected. */
function FilterSelect({ name, label, current, options }: { name: string; label: string; current: string | null; options: ReadonlyArray<{ value: string; label: string }> }) {
  return (
    <span>
      <label htmlFor={`alert-${name}`}>{label}</label>
      <select id={`alert-${name}`} name={name} defaultValue={current ?? ''}>
        <option value="">any</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  );
}

type Listed = Awaited<ReturnType<typeof listAlerts>>;

/** The status tabs with their counts once the list query answers (without counts if it failed: the list says why). */
async function CountedTabs({ listed, search }: { listed: Promise<Listed>; search: URLSearchParams }) {
  const counts = await listed.then(
    (result) => result.counts,
    () => null,
  );
  return <StatusTabs search={search} counts={counts} />;
}

/** The alerts and the pager, once the list query answers. */
async function AlertList({ listed, search }: { listed: Promise<Listed>; search: URLSearchParams }) {
  let result;
  try {
    result = await listed;
  } catch (error) {
    if (!(error instanceof AuthwatchError)) throw error;
    return <FilterError message={error.message} clearHref="/alerts" />;
  }
  return (
    <>
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
                  <Link href={`/alerts/${alert.id}`} prefetch={false}>{alert.title}</Link>
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

/**
 * `/alerts`: newest first, filtered by status, severity, rule and service (in
 * the URL), with the count of each status. The role check and the filters come
 * first; the list streams behind its skeleton.
 */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage('PAGE /alerts');
  const search = toSearch(await searchParams);
  for (const [name, value] of [...search]) if (value === '') search.delete(name);
  const ctx = requestContext();
  let input;
  try {
    input = parseAlertSearchParams(search);
  } catch (error) {
    if (!(error instanceof AuthwatchError)) throw error;
    return <FilterError message={error.message} clearHref="/alerts" />;
  }
  const listed = listAlerts({ ctx, input });
  const services = ctx.store.listServices();
  return (
    <>
      <h1>Alerts</h1>
      <Suspense fallback={<StatusTabs search={search} counts={null} />}>
        <CountedTabs listed={listed} search={search} />
      </Suspense>
      <form method="get" action="/alerts" className={styles.toolbar}>
        {search.getAll('status').map((status) => (
          <input key={status} type="hidden" name="status" value={status} />
        ))}
        <FilterSelect name="severity" label="Severity" current={search.get('severity')} options={SEVERITIES.map((severity) => ({ value: severity, label: severity }))} />
        <FilterSelect name="rule" label="Rule" current={search.get('rule')} options={RULES.map((rule) => ({ value: rule.id, label: rule.title }))} />
        <FilterSelect name="service" label="Service" current={search.get('service')} options={services.map((service) => ({ value: service.name, label: service.name }))} />
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      <WidgetBoundary title="Alerts" testId="alerts">
        <Suspense fallback={<TableSkeleton testId="alerts" rows={8} panel={false} />}>
          <AlertList listed={listed} search={search} />
        </Suspense>
      </WidgetBoundary>
    </>
  );
}
