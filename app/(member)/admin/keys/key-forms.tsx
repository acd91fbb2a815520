'use client';

import { useState, type FormEvent } from 'react';
import { FormError, SecretOnce } from '@/app/ui/form-message';
import styles from '@/app/ui/form.module.css';
import { useApiAction } from '@/app/ui/use-api-action';

/** Registers a service. */
export function AddServiceForm() {
  const { run, busy, error } = useApiAction();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (await run('POST', '/api/v1/services', { name: new FormData(form).get('name') })) form.reset();
  }
  return (
    <form className={styles.form} onSubmit={submit}>
      <div className={styles.inline}>
        <div>
          <label htmlFor="service-name">Service name</label>
          <input id="service-name" name="name" required pattern="[a-z0-9][a-z0-9._\-]{0,62}" aria-describedby="service-hint" />
        </div>
        <button type="submit" disabled={busy}>
          Add service
        </button>
      </div>
      <p id="service-hint" className={styles.hint}>
        Lowercase letters, digits, dots, dashes and underscores, as the service names itself in events.
      </p>
      <FormError message={error} />
    </form>
  );
}

type CreatedKey = { id: string; service: string; key: string };

/** Creates an ingest key for a service; the key is shown once. */
export function CreateKeyForm({ services }: { services: string[] }) {
  const { run, busy, error } = useApiAction<CreatedKey>();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const expires = String(data.get('expires') ?? '').trim();
    const key = await run('POST', '/api/v1/keys', { service: data.get('service'), expires: expires === '' ? undefined : expires });
    if (key) setCreated(key);
  }
  if (services.length === 0) return <p className={styles.hint}>Add a service first; then create its key here.</p>;
  return (
    <form className={styles.form} onSubmit={submit}>
      <div className={styles.inline}>
        <div>
          <label htmlFor="key-service">Service</label>
          <select id="key-service" name="service" required>
            {services.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="key-expires">Expires after</label>
          <input id="key-expires" name="expires" placeholder="90d" defaultValue="90d" aria-describedby="key-expires-hint" />
        </div>
        <button type="submit" disabled={busy}>
          Create key
        </button>
      </div>
      <p id="key-expires-hint" className={styles.hint}>
        A number and m, h or d (30m, 12h, 90d); empty for a key that never expires.
      </p>
      <FormError message={error} />
      {created && <SecretOnce label={`Ingest key ${created.id} for ${created.service}`} value={created.key} />}
    </form>
  );
}

/** Rotates a key: a new one for the same service, shown once; the old one keeps working for 24 hours. */
export function RotateKeyButton({ id }: { id: string }) {
  const { run, busy, error } = useApiAction<CreatedKey>();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  return (
    <>
      <button type="button" className="secondary" disabled={busy} onClick={() => void run('POST', `/api/v1/keys/${id}/rotate`).then((key) => key && setCreated(key))}>
        Rotate
      </button>
      <FormError message={error} />
      {created && <SecretOnce label={`New ingest key ${created.id} (the old one expires in 24 hours)`} value={created.key} />}
    </>
  );
}
