/** The explorer's own URLs for a change of filter: a new page of results (the cursor goes), everything else kept. */
export function withFilter(search: URLSearchParams, name: string, value: string): string {
  const next = new URLSearchParams(search);
  next.delete('cursor');
  if (!next.getAll(name).includes(value)) next.append(name, value);
  return `/events?${next}`;
}

export function withoutFilter(search: URLSearchParams, name: string, value: string): string {
  const next = new URLSearchParams();
  for (const [key, each] of search) if (key !== 'cursor' && !(key === name && each === value)) next.append(key, each);
  return `/events?${next}`;
}

export function withCursor(search: URLSearchParams, cursor: string | null): string {
  const next = new URLSearchParams(search);
  if (cursor === null) next.delete('cursor');
  else next.set('cursor', cursor);
  return `/events?${next}`;
}

/** The page's searchParams object as URLSearchParams (repeated parameters kept). */
export function toSearch(params: Record<string, string | string[] | undefined>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value]) search.append(name, each);
  return search;
}
