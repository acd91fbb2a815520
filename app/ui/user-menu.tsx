'use client';

import { useId, useState } from 'react';
import { callApi } from './call-api';
import styles from './shell.module.css';

/** Who is signed in, with what role, and the way out: a disclosure button and its panel. */
export function UserMenu({ email, role }: { email: string; role: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const panel = useId();

  async function signOut() {
    setBusy(true);
    await callApi('DELETE', '/api/session');
    window.location.assign('/login');
  }

  return (
    <div className={styles.userMenu} onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
      <button type="button" className={styles.userButton} aria-expanded={open} aria-controls={panel} aria-label={`Account: ${email}`} onClick={() => setOpen(!open)}>
        <span className={styles.userEmail}>{email}</span> <span className={styles.role}>{role}</span>
      </button>
      <div id={panel} className={styles.userPanel} hidden={!open}>
        <p>
          Signed in as <strong>{email}</strong>
          <br />
          Role: {role}
        </p>
        <button type="button" className="secondary" onClick={signOut} disabled={busy}>
          Sign out
        </button>
      </div>
    </div>
  );
}
