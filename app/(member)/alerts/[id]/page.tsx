import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getAlert } from '@/lib/alerts/get-alert';
import { roleMayUse } from '@/lib/auth/access';
import { AuthwatchError } from '@/lib/errors';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { AlertActions } from '@/app/ui/alerts/alert-actions';
import { EvidenceTimeline } from '@/app/ui/alerts/evidence-timeline';
import styles from '@/app/ui/dashboard/dashboard.module.css';
import { LocalTime } from '@/app/ui/local-time';
import { SeverityBadge } from '@/app/ui/severity-badge';
import { StatusBadge } from '@/app/ui/status-badge';

export const metadata = { title: 'Alert · authwatch' };

async function load(id: string) {
  if (!/^\d{1,15}$/.test(id)) return undefined;
  try {
    return await getAlert({ ctx: requestContext(), input: { id: Number(id) } });
  } catch (error) {
    if (error instanceof AuthwatchError && error.code === 'ERR_ALERT_UNKNOWN') return undefined;
    throw error;
  }
}

/** `/alerts/{id}`: key, summary, evidence over time and as events, history; MANAGERs get the buttons (the API checks again). */
export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage('PAGE /alerts/[id]');
  const alert = await load((await params).id);
  if (!alert) notFound();
  const mayChange = roleMayUse(user.role, 'PATCH /api/v1/alerts/[id]');
  return (
    <>
      <p>
        <Link href="/alerts">← Alerts</Link>
      </p>
      <h1>
        Alert #{alert.id}: {alert.title}
      </h1>
      <p>
        <SeverityBadge severity={alert.severity} /> <StatusBadge status={alert.status} /> {alert.attack && <span className={styles.flat}>ATT&amp;CK {alert.attack.id} {alert.attack.name}</span>}
      </p>
      <p data-testid="alert-summary">{alert.summary}</p>
      <dl className={styles.panel}>
        {Object.entries(alert.key).map(([field, value]) => (
          <div key={field}>
            <dt>{field}</dt>
            <dd className="mono">{value}</dd>
          </div>
        ))}
        {Object.entries(alert.detail).map(([field, value]) => (
          <div key={`detail-${field}`}>
            <dt>{field.replaceAll('_', ' ')}</dt>
            <dd>{String(value)}</dd>
          </div>
        ))}
        <dt>Events</dt>
        <dd>{alert.count.toLocaleString('en-US')}</dd>
        <dt>First seen – last seen</dt>
        <dd>
          {alert.first_seen && <LocalTime iso={alert.first_seen} />} – {alert.last_seen && <LocalTime iso={alert.last_seen} />}
        </dd>
      </dl>
      {mayChange && <AlertActions id={alert.id} status={alert.status} />}
      <EvidenceTimeline times={alert.evidence.flatMap((event) => (event.time ? [event.time] : []))} />
      <section className={styles.panel} aria-labelledby="evidence">
        <h2 id="evidence">Evidence ({alert.evidence.length.toLocaleString('en-US')} events kept)</h2>
        <p>
          <Link href={alert.explorer}>Open the evidence in the explorer</Link>
        </p>
        <ul>
          {alert.evidence.map((event) => (
            <li key={event.seq}>
              <Link href={`/events/${event.seq}`} prefetch={false}>event #{event.seq}</Link> {event.time && <LocalTime iso={event.time} />} {event.service}
            </li>
          ))}
        </ul>
      </section>
      <section className={styles.panel} aria-labelledby="history">
        <h2 id="history">History and notes</h2>
        <ul data-testid="alert-history">
          {alert.history.map((entry, index) => (
            <li key={index}>
              {entry.at && <LocalTime iso={entry.at} />} {entry.actor}: {entry.action}
              {entry.note && <> — {entry.note}</>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
