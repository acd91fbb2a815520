import { listApiTokens } from '@/lib/auth/manage-api-tokens';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { ApiButton } from '@/app/ui/api-button';
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
        <table>
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td className="mono">{token.id}</td>
                <td>{token.name}</td>
                <td>{token.role}</td>
                <td>
                  <StatusBadge status={token.status} />
                </td>
                <td>{formatTime(token.expiresAt)}</td>
                <td>{formatTime(token.lastUsedAt)}</td>
                <td>
                  {token.status === 'active' && (
                    <ApiButton method="DELETE" path={`/api/v1/tokens/${token.id}`} label="Revoke" danger confirmation={`Revoke token ${token.name}? It stops working at once.`} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
