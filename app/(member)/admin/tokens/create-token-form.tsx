'use client';

import { useState, type FormEvent } from 'react';
import { RoleOptions } from '@/app/ui/role-options';
import { FormError, SecretOnce } from '@/app/ui/form-message';
import styles from '@/app/ui/form.module.css';
import { useApiAction } from '@/app/ui/use-api-action';

type CreatedToken = { id: string; name: string; token: string };

/** Creates an API token for automation; shown once. */
export function CreateTokenForm() {
  const { run, busy, error } = useApiAction<CreatedToken>();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const token = await run('POST', '/api/v1/tokens', { name: data.get('name'), role: data.get('role'), expires: data.get('expires') || undefined });
    if (token) {
      setCreated(token);
      form.reset();
    }
  }
  return (
    <form className={styles.form} onSubmit={submit}>
      <div className={styles.inline}>
        <div>
          <label htmlFor="token-name">Name</label>
          <input id="token-name" name="name" required maxLength={64} placeholder="soar-playbooks" />
        </div>
        <div>
          <label htmlFor="token-role">Role</label>
          <select id="token-role" name="role" defaultValue="USER">
            <RoleOptions />
          </select>
        </div>
        <div>
          <label htmlFor="token-expires">Expires after</label>
          <input id="token-expires" name="expires" defaultValue="90d" />
        </div>
        <button type="submit" disabled={busy}>
          Create token
        </button>
      </div>
      <p className={styles.hint}>Every token expires (at most 366d). Send it as Authorization: Bearer on /api/v1/*; it can never send events.</p>
      <FormError message={error} />
      {created && <SecretOnce label={`API token ${created.id} (${created.name})`} value={created.token} />}
    </form>
  );
}
