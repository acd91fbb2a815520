import type { EventType } from '@/lib/events/catalog';

/** One colour per event type across charts; failures warm, successes cool. Legends always name the type beside it. */
export const TYPE_COLOURS: Record<EventType, string> = {
  'login.success': '#16a34a',
  'login.failure': '#dc2626',
  'account.locked': '#9f1239',
  'account.unlocked': '#65a30d',
  'token.issued': '#0891b2',
  'token.refreshed': '#0e7490',
  'token.revoked': '#7c3aed',
  'token.rejected': '#ea580c',
  'access.granted': '#2563eb',
  'access.denied': '#db2777',
  'rate_limit.exceeded': '#ca8a04',
  'mtls.rejected': '#78350f',
};
