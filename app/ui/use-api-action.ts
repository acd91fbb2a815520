'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from './call-api';

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One change through the JSON API from a page: busy while it runs, its error
 * to show, and the page's server data refreshed once it succeeded.
 */
export function useApiAction<T>() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(method: Method, path: string, body?: unknown): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    const answer = await callApi<T>(method, path, body);
    setBusy(false);
    if (!answer.ok) {
      setError(answer.message);
      return undefined;
    }
    router.refresh();
    return answer.data;
  }

  return { run, busy, error };
}
