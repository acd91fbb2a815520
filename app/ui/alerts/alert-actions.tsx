'use client';

import { useState } from 'react';
import { FormError } from '../form-message';
import { useApiAction } from '../use-api-action';

/** A MANAGER's buttons on an alert: acknowledge, resolve, reopen, and a note; the API checks the role again. */
export function AlertActions({ id, status }: { id: number; status: string }) {
  const { run, busy, error } = useApiAction();
  const [note, setNote] = useState('');
  const path = `/api/v1/alerts/${id}`;
  const moves = [
    ['acknowledged', 'Acknowledge'],
    ['resolved', 'Resolve'],
    ['open', 'Reopen'],
  ].filter(([target]) => target !== status && !(status === 'resolved' && target === 'acknowledged'));
  return (
    <div>
      <p>
        {moves.map(([target, label]) => (
          <button key={target} type="button" className="secondary" disabled={busy} onClick={() => void run('PATCH', path, { status: target })}>
            {label}
          </button>
        ))}
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (note.trim() === '') return;
          void run('PATCH', path, { note }).then((done) => {
            if (done !== undefined) setNote('');
          });
        }}
      >
        <label htmlFor="alert-note">Note</label>
        <input id="alert-note" value={note} maxLength={2000} onChange={(event) => setNote(event.target.value)} />
        <button type="submit" disabled={busy}>
          Add note
        </button>
      </form>
      <FormError message={error} />
    </div>
  );
}
