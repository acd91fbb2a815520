'use client';

import { FormError } from './form-message';
import { useApiAction } from './use-api-action';

/** A button that makes one change (revoke, disable, …) after the person confirms it. */
export function ApiButton({
  method,
  path,
  body,
  label,
  confirmation,
  danger = false,
}: {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  label: string;
  confirmation?: string;
  danger?: boolean;
}) {
  const { run, busy, error } = useApiAction();
  return (
    <>
      <button
        type="button"
        className={danger ? 'danger' : 'secondary'}
        disabled={busy}
        onClick={() => {
          if (confirmation && !window.confirm(confirmation)) return;
          void run(method, path, body);
        }}
      >
        {label}
      </button>
      <FormError message={error} />
    </>
  );
}
