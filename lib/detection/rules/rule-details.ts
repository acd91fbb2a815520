import type { KeyWindow } from '../key-window';

/** How many distinct values the key's reported entries still held carry (IPs, usernames). */
export function distinctValues(window: KeyWindow): number {
  const values = new Set<string>();
  for (const entry of window.entries) if (entry.reported && entry.value !== undefined) values.add(entry.value);
  return values.size;
}
