import type { StoredEvent } from '@/lib/store/store';
import { withReader, withStore } from './provision';

/**
 * The events stored for one service, read through the store module (the way
 * the server reads them), with their documents parsed: for tests that compare
 * what a reporter was told with what authwatch kept.
 */
export type StoredDocument = { id: string; type: string; reason?: string; scheme?: string; token?: { jti?: string; issued_at?: number; expires_at?: number } };

const LIMIT = 10_000;

export function storedEventsOf(dbFile: string, service: string): { events: StoredEvent[]; documents: StoredDocument[] } {
  const found = withStore(dbFile, (store) => store.findServiceByName(service));
  if (!found) return { events: [], documents: [] };
  return withReader(dbFile, (reader) => {
    const events = reader.listEvents({ serviceIds: [found.id], limit: LIMIT }).events;
    if (events.length >= LIMIT) throw new Error(`more than ${LIMIT - 1} events for ${service}: count them another way`);
    return { events, documents: events.map((event) => JSON.parse(event.document) as StoredDocument) };
  });
}
