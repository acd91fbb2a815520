'use client';

import { useState, type FormEvent } from 'react';
import { callApi } from '@/app/ui/call-api';
import { FormError } from '@/app/ui/form-message';
import styles from '@/app/ui/form.module.css';

function minutes(seconds: number | undefined): string {
  const count = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  return `${count} minute${count === 1 ? '' : 's'}`;
}

export function SignInForm({ next, expired }: { next: string; expired: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const answer = await callApi('POST', '/api/session', { email: form.get('email'), password: form.get('password') });
    if (answer.ok) {
      window.location.assign(next);
      return;
    }
    setBusy(false);
    if (answer.code === 'ERR_SIGNIN_THROTTLED') setError(`Too many failed sign-ins. Try again in ${minutes(answer.retryAfterSeconds)}.`);
    else if (answer.code === 'ERR_SIGNIN_FAILED') setError('The email or password is not correct.');
    else setError(answer.message);
  }

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      {expired && !error && (
        <p role="status" className={styles.notice}>
          Your session has ended. Sign in again to continue.
        </p>
      )}
      <FormError message={error} />
      <div>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div>
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
