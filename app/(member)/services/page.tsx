import Link from 'next/link';
import { Suspense } from 'react';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { serviceHealth, type ServiceHealth } from '@/lib/stats/service-health';
import badges from '@/app/ui/badge.module.css';
import styles from '@/app/ui/dashboard/dashboard.module.css';
import { explorerHref } from '@/app/ui/dashboard/explorer-href';
import { Sparkline, formatCount } from '@/app/ui/dashboard/kpi-tile';
import { TableSkeleton } from '@/app/ui/dashboard/skeletons';
import { LocalTime } from '@/app/ui/local-time';
import { WidgetBoundary } from '@/app/ui/widget-boundary';

export const metadata = { title: 'Services · authwatch' };

/** The table once the health query answers. */
async function ServicesTable({ health }: { health: Promise<ServiceHealth[]> }) {
  const services = await health;
  return services.length === 0 ? (
    <p className={styles.empty}>No service is registered yet. An administrator adds one under Services &amp; keys.</p>
  ) : (
    <table data-testid="services">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Last event</th>
          <th scope="col" className="number">Rate (events/min, last hour)</th>
          <th scope="col" className="number">Failure ratio (24 h)</th>
          <th scope="col" className="number">Events (24 h)</th>
          <th scope="col">Last 24 h (events/hour)</th>
        </tr>
      </thead>
      <tbody>
        {services.map((service) => (
          <tr key={service.name}>
            <td>
              <Link href={explorerHref({ service: service.name })}>{service.name}</Link>{' '}
              {service.silent && <span className={`${badges.badge} ${badges.revoked}`}>silent for over 15 min</span>}
            </td>
            <td>{service.last_event ? <LocalTime iso={service.last_event} /> : 'never'}</td>
            <td className="number">{service.rate_per_minute.toFixed(2)}</td>
            <td className="number">{service.failure_ratio === null ? '—' : `${(service.failure_ratio * 100).toFixed(1)} %`}</td>
            <td className="number">{formatCount(service.events_24h)}</td>
            <td>
              <Sparkline values={service.series} label={`${service.name}: events per hour over the last 24 hours`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/services`: each registered service with its last event, rate, failure ratio, 24-hour sparkline, and a flag when it went silent. The role check comes first; the table streams. */
export default async function ServicesPage() {
  await requirePage('PAGE /services');
  const health = serviceHealth({ ctx: requestContext() });
  return (
    <>
      <h1>Services</h1>
      <WidgetBoundary title="Services" testId="services">
        <Suspense fallback={<TableSkeleton testId="services" rows={4} panel={false} />}>
          <ServicesTable health={health} />
        </Suspense>
      </WidgetBoundary>
    </>
  );
}
