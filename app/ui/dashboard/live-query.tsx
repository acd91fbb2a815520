'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

/** One react-query client per page tree: polling pauses while the tab is hidden (refetchIntervalInBackground is false). */
export function LiveQueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { refetchIntervalInBackground: false, retry: 1 } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** The live indicator with its pause button. */
export function LiveToggle({ live, onToggle, fetching, className, dotClass }: { live: boolean; onToggle: () => void; fetching: boolean; className: string; dotClass: string }) {
  return (
    <span className={className} role="status">
      <span className={dotClass} aria-hidden="true" />
      {live ? (fetching ? 'Live · updating' : 'Live') : 'Paused'}
      <button type="button" className="secondary" onClick={onToggle} aria-pressed={!live}>
        {live ? 'Pause' : 'Resume'}
      </button>
    </span>
  );
}
