import { listIngestKeysWithUse, type IngestKeyView } from '@/lib/auth/audited-ingest-keys';
import { DOOR_SERVICE } from '@/lib/door/door-service';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { listServices } from '@/lib/services/manage-services';
import { ApiButton } from '@/app/ui/api-button';
import { formatTime } from '@/app/ui/format';
import styles from '@/app/ui/shell.module.css';
import { StatusBadge } from '@/app/ui/status-badge';
import { AddServiceForm, CreateKeyForm, RotateKeyButton } from './key-forms';

export const metadata = { title: 'Services and ingest keys · authwatch' };

function KeyTable({ keys }: { keys: IngestKeyView[] }) {
  if (keys.length === 0) return <p className={styles.muted}>No ingest key yet. Each service that sends events needs one.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Service</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">Actions</th>
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
            <td>{formatTime(key.createdAt)}</td>
            <td>{formatTime(key.expiresAt)}</td>
            <td>{formatTime(key.lastUsedAt)}</td>
            <td>
              {key.status !== 'revoked' && (
                <>
                  <RotateKeyButton id={key.id} />{' '}
                  <ApiButton method="DELETE" path={`/api/v1/keys/${key.id}`} label="Revoke" danger confirmation={`Revoke key ${key.id}? It stops working at once.`} />
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** /admin/keys (ADMIN): services, and their ingest keys: create (shown once), rotate, revoke, expiry, last use. */
export default async function KeysPage() {
  await requirePage('PAGE /admin/keys');
  const ctx = requestContext();
  const services = listServices({ ctx });
  const keys = listIngestKeysWithUse({ ctx });
  return (
    <>
      <section className={styles.section} aria-labelledby="services">
        <h1 id="services">Services</h1>
        <p className={styles.muted}>
          Each service that sends events is registered here. <code>{DOOR_SERVICE}</code> is authwatch’s own sign-in record and takes no key.
        </p>
        <AddServiceForm />
        {services.length === 0 ? (
          <p className={styles.muted}>No service is registered yet.</p>
        ) : (
          <ul>
            {services.map((service) => (
              <li key={service.id}>
                {service.name} <span className={styles.muted}>since {formatTime(service.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className={styles.section} aria-labelledby="keys">
        <h2 id="keys">Ingest keys</h2>
        <CreateKeyForm services={services.map((service) => service.name).filter((name) => name !== DOOR_SERVICE)} />
        <KeyTable keys={keys} />
      </section>
    </>
  );
}
