/** A stored time as people read it in a table: UTC, to the minute, or a dash. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '—';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const ROLE_DESCRIPTIONS = {
  USER: 'you can read events, alerts and rules',
  MANAGER: 'you can read events, alerts and rules, work alerts and tune rules',
  ADMIN: 'you can read and work everything, and manage users, services, ingest keys and API tokens',
} as const;
