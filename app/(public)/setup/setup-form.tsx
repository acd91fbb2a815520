'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { callApi } from '@/app/ui/call-api';
import { FormError } from '@/app/ui/form-message';
import styles from '@/app/ui/form.module.css';

type Link = { purpose: 'first_admin' | 'invite' | 'reset'; email: string | null; role: string };
type State = { status: 'reading' } | { status: 'invalid'; message: string } | { status: 'ready'; token: string; link: Link };

const HEADINGS = { first_admin: 'Create the first administrator', invite: 'Set your password', reset: 'Choose a new password' };

export function SetupForm() {
  const [state, setState] = useState<State>({ status: 'reading' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const read = useRef(false);

  useEffect(() => {
    if (read.current) return;
    read.current = true;
    const token = window.location.hash.slice(1);
    // Out of the address bar and history at once: the link works only once anyway.
    window.history.replaceState(null, '', window.location.pathname);
    if (!token) {
      setState({ status: 'invalid', message: 'Open the full setup link you were given; it ends in #awl_…' });
      return;
    }
    void callApi<Link>('POST', '/api/setup/preview', { token }).then((answer) =>
      setState(answer.ok ? { status: 'ready', token, link: answer.data } : { status: 'invalid', message: answer.message }),
    );
  }, []);

  if (state.status === 'reading') return <p role="status">Checking the link…</p>;
  if (state.status === 'invalid') {
    return (
      <>
        <h1>This link does not work</h1>
        <FormError message={state.message} />
        <p>Ask an administrator for a new link. Links work once, for 24 hours.</p>
      </>
    );
  }

  const { token, link } = state;
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get('password') !== form.get('confirm')) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    const email = link.email === null ? form.get('email') : undefined;
    const answer = await callApi('POST', '/api/setup', { token, email, password: form.get('password') });
    if (answer.ok) {
      window.location.assign('/');
      return;
    }
    setBusy(false);
    setError(answer.message);
  }

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <h1>{HEADINGS[link.purpose]}</h1>
      {link.email !== null && (
        <p>
          For <strong>{link.email}</strong> ({link.role})
        </p>
      )}
      <FormError message={error} />
      {link.email === null && (
        <div>
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
        </div>
      )}
      <div>
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={12} required aria-describedby="password-hint" />
        <p id="password-hint" className={styles.hint}>
          At least 12 characters; common passwords are refused. A few unrelated words make a good one.
        </p>
      </div>
      <div>
        <label htmlFor="confirm">Confirm password</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
      </div>
      <button type="submit" disabled={busy}>
        {link.purpose === 'first_admin' ? 'Create account' : 'Set password'}
      </button>
    </form>
  );
}
