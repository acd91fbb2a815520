'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};
// One formatter for every time on a page: toLocaleString with options builds a new one per call.
let viewerZone: Intl.DateTimeFormat | undefined;
const inViewerZone = (iso: string) => {
  viewerZone ??= new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return viewerZone.format(new Date(iso));
};

/** A time in the viewer's zone, UTC on hover; the server (which has no viewer zone) renders UTC until hydration. */
export function LocalTime({ iso }: { iso: string }) {
  const local = useSyncExternalStore(subscribe, () => inViewerZone(iso), () => `${iso.slice(0, 19).replace('T', ' ')} UTC`);
  return (
    <time dateTime={iso} title={`${iso} (UTC)`}>
      {local}
    </time>
  );
}
