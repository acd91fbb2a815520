/** A link into the explorer: our own path with the values as encoded query parameters (never a URL built from event data otherwise). */
export function explorerHref(filters: Record<string, string | readonly string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    for (const each of typeof value === 'string' ? [value] : value) query.append(name, each);
  }
  return `/events?${query}`;
}
