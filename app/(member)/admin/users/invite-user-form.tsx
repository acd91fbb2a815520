'use client';

import { useState, type FormEvent } from 'react';
import { RoleOptions } from '@/app/ui/role-options';
import { FormError, SecretOnce } from '@/app/ui/form-message';
import styles from '@/app/ui/form.module.css';
import { useApiAction } from '@/app/ui/use-api-action';

/** Invites a user by email and role; their one-time setup link is shown once. */
export function InviteUserForm() {
  const { run, busy, error } = useApiAction<{ setupLink: string; user: { email: string } }>();
  const [invited, setInvited] = useState<{ email: string; link: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const created = await run('POST', '/api/v1/users', { email: data.get('email'), role: data.get('role') });
    if (created) {
      setInvited({ email: created.user.email, link: created.setupLink });
      form.reset();
    }
  }

  return (
    <form className={styles.form} onSubmit={submit}>
      <div className={styles.inline}>
        <div>
          <label htmlFor="invite-email">Email</label>
          <input id="invite-email" name="email" type="email" required />
        </div>
        <div>
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" name="role" defaultValue="USER">
            <RoleOptions />
          </select>
        </div>
        <button type="submit" disabled={busy}>
          Invite
        </button>
      </div>
      <FormError message={error} />
      {invited && <SecretOnce label={`Setup link for ${invited.email} (valid 24 hours, works once)`} value={invited.link} />}
    </form>
  );
}
