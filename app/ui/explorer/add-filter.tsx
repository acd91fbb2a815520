'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import styles from '../dashboard/dashboard.module.css';

const FIELDS = [
  ['ip', 'Source IP or CIDR'],
  ['username', 'Username'],
  ['subject', 'Subject'],
  ['client_id', 'Client id'],
  ['jti', 'Token id (jti)'],
  ['type', 'Event type'],
  ['reason', 'Reason'],
  ['service', 'Service'],
  ['q', 'Free text'],
] as const;

/** Adds one filter value to the URL (a repeated parameter means any of its values); the server validates it. */
export function AddFilter() {
  const router = useRouter();
  const search = useSearchParams();
  const [field, setField] = useState<string>('ip');
  const [value, setValue] = useState('');
  return (
    <form
      className={styles.custom}
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = value.trim();
        if (!trimmed) return;
        const next = new URLSearchParams(search.toString());
        next.delete('cursor');
        if (field === 'q') next.set('q', trimmed);
        else next.append(field, trimmed);
        setValue('');
        router.push(`/events?${next}`);
      }}
    >
      <span>
        <label htmlFor="filter-field">Filter on</label>
        <select id="filter-field" value={field} onChange={(event) => setField(event.target.value)}>
          {FIELDS.map(([name, label]) => (
            <option key={name} value={name}>
              {label}
            </option>
          ))}
        </select>
      </span>
      <span>
        <label htmlFor="filter-value">Value</label>
        <input
          id="filter-value"
          value={value}
          maxLength={256}
          aria-describedby={field === 'q' ? 'filter-value-help' : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
        {field === 'q' ? (
          <small id="filter-value-help">
            Every word must appear in the event. Words of 3 or more characters are looked up in the text index; shorter ones are checked on
            every event of the range, which is slow over long ranges.
          </small>
        ) : null}
      </span>
      <button type="submit" className="secondary">
        Add filter
      </button>
    </form>
  );
}
