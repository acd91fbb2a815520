'use client';

import { useState } from 'react';
import styles from './form.module.css';

/** A form's error, announced to screen readers as it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className={styles.error}>
      {message}
    </p>
  );
}

/** A secret (key, token, setup link) shown once, with a copy button. */
export function SecretOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
  return (
    <div className={styles.secret} role="status">
      <strong>{label}</strong>
      <output aria-label={label}>{value}</output>
      <p className={styles.hint}>Shown only now: authwatch keeps only a hash of it. Copy it to where it is needed.</p>
      <div>
        <button type="button" className="secondary" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
