import type { StoredEvent } from '@/lib/store/store';
import { withStore } from './provision';

/**
 * The events stored for one service, read through the store module (the way
 * the server reads them), with their documents parsed: for tests that compare
 * what a reporter was told with what authwatch kept.
 */
export type StoredDocument = { id: string; type: string; reason?: string; scheme?: string; token?: { issued_at?: number; expires_at?: number } };

const LIMIT = 10_000;

export function storedEventsOf(dbFile: string, service: string): { events: StoredEvent[]; documents: StoredDocument[] } {
  return withStore(dbFile, (store) => {
    const found = store.findServiceByName(service);
    if (!found) return { events: [], documents: [] };
    const events = store.listEvents({ serviceId: found.id, limit: LIMIT });
    if (events.length >= LIMIT) throw new Error(`more than ${LIMIT - 1} events for ${service}: count them another way`);
    return { events, documents: events.map((event) => JSON.parse(event.document) as StoredDocument) };
  });
}
