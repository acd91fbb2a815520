import { listIngestKeysWithUse } from '@/lib/auth/audited-ingest-keys';
import { DOOR_SERVICE } from '@/lib/door/door-service';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { listServices } from '@/lib/services/manage-services';
import { formatTime } from '@/app/ui/format';
import styles from '@/app/ui/shell.module.css';
import { AddServiceForm, CreateKeyForm } from './key-forms';
import { KeyTable } from './key-table';

export const metadata = { title: 'Services and ingest keys · authwatch' };

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
        <KeyTable keys={keys} actions />
      </section>
    </>
  );
}
