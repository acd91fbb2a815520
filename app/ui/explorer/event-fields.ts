import type { EventView } from '@/lib/events/search-events';

/** A string field of a stored event by path (`source.ip`), or undefined: stored events are JSON, read defensively. */
export function fieldOf(event: EventView, ...path: string[]): string | undefined {
  let value: unknown = event;
  for (const part of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The explorer parameters a stored event's fields answer to, for one-click filters. */
export const PIVOTS = [
  { param: 'ip', label: 'IP', path: ['source', 'ip'] },
  { param: 'username', label: 'username', path: ['actor', 'username'] },
  { param: 'subject', label: 'subject', path: ['actor', 'subject'] },
  { param: 'client_id', label: 'client', path: ['actor', 'client_id'] },
  { param: 'jti', label: 'token id', path: ['token', 'jti'] },
] as const;
