'use client';

import { useState } from 'react';
import { ApiButton } from '@/app/ui/api-button';
import { RoleOptions } from '@/app/ui/role-options';
import { FormError, SecretOnce } from '@/app/ui/form-message';
import styles from '@/app/ui/form.module.css';
import { useApiAction } from '@/app/ui/use-api-action';

/** A user row's actions: change role, disable, or issue a new setup link. */
export function UserActions({ id, email, role, disabled }: { id: number; email: string; role: string; disabled: boolean }) {
  const [nextRole, setNextRole] = useState(role);
  const { run, busy, error } = useApiAction<{ setupLink: string }>();
  const [link, setLink] = useState<string | null>(null);
  if (disabled) return null;

  return (
    <div className={styles.form}>
      <div className={styles.inline}>
        <div>
          <label htmlFor={`role-${id}`} className="visually-hidden">
            Role for {email}
          </label>
          <select id={`role-${id}`} value={nextRole} onChange={(event) => setNextRole(event.target.value)}>
            <RoleOptions />
          </select>
        </div>
        <button type="button" className="secondary" disabled={busy || nextRole === role} onClick={() => void run('PATCH', `/api/v1/users/${id}`, { role: nextRole })}>
          Change role
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void run('POST', `/api/v1/users/${id}/setup-link`).then((issued) => issued && setLink(issued.setupLink))}
        >
          New setup link
        </button>
        <ApiButton
          method="PATCH"
          path={`/api/v1/users/${id}`}
          body={{ status: 'disabled' }}
          label="Disable"
          danger
          confirmation={`Disable ${email}? Their sessions end at once.`}
        />
      </div>
      <FormError message={error} />
      {link && <SecretOnce label={`Setup link for ${email}`} value={link} />}
    </div>
  );
}
