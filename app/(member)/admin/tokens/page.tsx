import { listApiTokens } from '@/lib/auth/manage-api-tokens';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { ApiButton } from '@/app/ui/api-button';
import { DataTable } from '@/app/ui/data-table';
import { formatTime } from '@/app/ui/format';
import styles from '@/app/ui/shell.module.css';
import { StatusBadge } from '@/app/ui/status-badge';
import { CreateTokenForm } from './create-token-form';

export const metadata = { title: 'API tokens · authwatch' };

/** /admin/tokens (ADMIN): API tokens for automation: create (shown once), revoke, expiry, last use. */
export default async function TokensPage() {
  await requirePage('PAGE /admin/tokens');
  const tokens = listApiTokens({ ctx: requestContext() });
  return (
    <>
      <section className={styles.section} aria-labelledby="create">
        <h1 id="create">API tokens</h1>
        <CreateTokenForm />
      </section>
      <section className={styles.section} aria-labelledby="tokens">
        <h2 id="tokens">Tokens</h2>
        <DataTable
          rows={tokens}
          rowKey={(token) => token.id}
          empty="No API token yet."
          columns={[
            { header: 'Token', cell: (token) => token.id, className: 'mono' },
            { header: 'Name', cell: (token) => token.name },
            { header: 'Role', cell: (token) => token.role },
            { header: 'Status', cell: (token) => <StatusBadge status={token.status} /> },
            { header: 'Expires', cell: (token) => formatTime(token.expiresAt) },
            { header: 'Last used', cell: (token) => formatTime(token.lastUsedAt) },
            {
              header: 'Actions',
              cell: (token) =>
                token.status === 'active' && (
                  <ApiButton method="DELETE" path={`/api/v1/tokens/${token.id}`} label="Revoke" danger confirmation={`Revoke token ${token.name}? It stops working at once.`} />
                ),
            },
          ]}
        />
      </section>
    </>
  );
}
