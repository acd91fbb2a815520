import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { listUsers } from '@/lib/users/manage-users';
import { DataTable } from '@/app/ui/data-table';
import { formatTime } from '@/app/ui/format';
import styles from '@/app/ui/shell.module.css';
import { StatusBadge } from '@/app/ui/status-badge';
import { InviteUserForm } from './invite-user-form';
import { UserActions } from './user-actions';

export const metadata = { title: 'Users · authwatch' };

/** /admin/users (ADMIN): invite with a setup link, change roles, disable. */
export default async function UsersPage() {
  await requirePage('PAGE /admin/users');
  const users = listUsers({ ctx: requestContext() });
  return (
    <>
      <section className={styles.section} aria-labelledby="invite">
        <h1 id="invite">Users</h1>
        <p className={styles.muted}>
          An invited user sets their own password through a one-time link. Changing a role or disabling a user ends their sessions at once.
        </p>
        <InviteUserForm />
      </section>
      <section className={styles.section} aria-labelledby="people">
        <h2 id="people">Everyone with access</h2>
        <DataTable
          rows={users}
          rowKey={(user) => user.id}
          empty="No user yet."
          columns={[
            { header: 'Email', cell: (user) => user.email },
            { header: 'Role', cell: (user) => user.role },
            { header: 'Status', cell: (user) => <StatusBadge status={user.status} /> },
            { header: 'Since', cell: (user) => formatTime(user.createdAt) },
            {
              header: 'Actions',
              cell: (user) => <UserActions id={user.id} email={user.email} role={user.role} disabled={user.status === 'disabled'} />,
            },
          ]}
        />
      </section>
    </>
  );
}
