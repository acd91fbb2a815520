import Link from 'next/link';
import { roleMayUse } from '@/lib/auth/access';
import { listIngestKeysWithUse } from '@/lib/auth/audited-ingest-keys';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { listServices } from '@/lib/services/manage-services';
import { ROLE_DESCRIPTIONS, formatTime } from '@/app/ui/format';
import styles from '@/app/ui/shell.module.css';
import { StatusBadge } from '@/app/ui/status-badge';

export const metadata = { title: 'Overview · authwatch' };

/** `/`: until the dashboard fills it, who you are, what your role lets you do, and the services and keys you may see. */
export default async function OverviewPage() {
  const user = await requirePage('PAGE /');
  const ctx = requestContext();
  const services = listServices({ ctx });
  const keys = roleMayUse(user.role, 'GET /api/v1/keys') ? listIngestKeysWithUse({ ctx }) : null;

  return (
    <>
      <section className={styles.section} aria-labelledby="welcome">
        <h1 id="welcome">Welcome, {user.email}</h1>
        <p>
          You are signed in as <strong>{user.role}</strong>: {ROLE_DESCRIPTIONS[user.role]}.
        </p>
      </section>

      <section className={styles.section} aria-labelledby="services">
        <h2 id="services">Services</h2>
        {services.length === 0 ? (
          <p className={styles.muted}>
            No service is registered yet. An administrator adds one under Services &amp; keys, or with{' '}
            <code>npx authwatch services add NAME</code>.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Registered</th>
              </tr>
            </thead>
            <tbody>
              {services.map((service) => (
                <tr key={service.id}>
                  <td>{service.name}</td>
                  <td>{formatTime(service.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {keys && (
        <section className={styles.section} aria-labelledby="keys">
          <h2 id="keys">Ingest keys</h2>
          {keys.length === 0 ? (
            <p className={styles.muted}>
              No ingest key yet. <Link href="/admin/keys">Create one</Link> for each service that sends events.
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Service</th>
                  <th scope="col">Status</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id}>
                    <td className="mono">{key.id}</td>
                    <td>{key.service}</td>
                    <td>
                      <StatusBadge status={key.status} />
                    </td>
                    <td>{formatTime(key.expiresAt)}</td>
                    <td>{formatTime(key.lastUsedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
