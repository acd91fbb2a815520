'use client';

import { useState } from 'react';
import { callApi } from './call-api';
import styles from './shell.module.css';

/** Who is signed in, with what role, and the way out. */
export function UserMenu({ email, role }: { email: string; role: string }) {
  const [busy, setBusy] = useState(false);

  async function signOut() {
    setBusy(true);
    await callApi('DELETE', '/api/session');
    window.location.assign('/login');
  }

  return (
    <details className={styles.userMenu}>
      <summary aria-label={`Account: ${email}`}>
        <span className={styles.userEmail}>{email}</span> <span className={styles.role}>{role}</span>
      </summary>
      <div className={styles.userPanel}>
        <p>
          Signed in as <strong>{email}</strong>
          <br />
          Role: {role}
        </p>
        <button type="button" className="secondary" onClick={signOut} disabled={busy}>
          Sign out
        </button>
      </div>
    </details>
  );
}
