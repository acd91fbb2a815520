import Link from 'next/link';
import { roleMayUse } from '@/lib/auth/access';
import { listIngestKeysWithUse } from '@/lib/auth/audited-ingest-keys';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { listServices } from '@/lib/services/manage-services';
import { DataTable } from '@/app/ui/data-table';
import { ROLE_DESCRIPTIONS, formatTime } from '@/app/ui/format';
import styles from '@/app/ui/shell.module.css';
import { KeyTable } from './admin/keys/key-table';

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
        <DataTable
          rows={services}
          rowKey={(service) => service.id}
          columns={[
            { header: 'Service', cell: (service) => service.name },
            { header: 'Registered', cell: (service) => formatTime(service.createdAt) },
          ]}
          empty={
            <>
              No service is registered yet. An administrator adds one under Services &amp; keys, or with <code>npx authwatch services add NAME</code>.
            </>
          }
        />
      </section>

      {keys && (
        <section className={styles.section} aria-labelledby="keys">
          <h2 id="keys">Ingest keys</h2>
          <KeyTable keys={keys} actions={false} />
          <p>
            <Link href="/admin/keys">Manage services and keys</Link>
          </p>
        </section>
      )}
    </>
  );
}
