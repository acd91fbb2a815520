import { EVENT_TYPES, type EventType, type Reason } from '../events/catalog';
import type { AlertKey, KeyField } from './alert-key';
import type { EvidenceFilter } from './rule';

/**
 * The events explorer's query for an alert's evidence (`/events` and
 * `GET /api/v1/events` take the same parameters): its key, the event types and
 * reasons its rule counts, and its span. `to` is exclusive, as the store reads
 * it, so it is one millisecond past the last event.
 */
export type ExplorerFilter = AlertKey & { from: string; to: string; type?: EventType[]; reason?: Reason[] };

const KEY_PARAMETERS: readonly KeyField[] = ['service', 'ip', 'username', 'subject', 'client_id', 'jti'];

export function explorerFilterFor(key: AlertKey, evidence: EvidenceFilter, firstSeen: number, lastSeen: number): ExplorerFilter {
  const filter: ExplorerFilter = { from: new Date(firstSeen).toISOString(), to: new Date(lastSeen + 1).toISOString() };
  for (const field of KEY_PARAMETERS) if (key[field] !== undefined) filter[field] = key[field];
  // Every type is no filter at all (plaintext_http looks at the scheme of any event).
  if (evidence.types.length < EVENT_TYPES.length) filter.type = [...evidence.types];
  if (evidence.reasons) filter.reason = [...evidence.reasons];
  return filter;
}

/** The filter as a query string: a repeated parameter means any of its values. */
export function explorerQueryString(filter: ExplorerFilter): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    for (const each of Array.isArray(value) ? value : [value]) query.append(name, String(each));
  }
  return query.toString();
}
