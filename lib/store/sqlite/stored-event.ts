import type { StoredEvent } from '../store';

/** A row of an event table as SQLite returns it (`SELECT *`). */
export type EventRowShape = {
  seq: number;
  id: string;
  time: number;
  received_at: number;
  service_id: number;
  type: number;
  reason: number | null;
  ip: string | null;
  ip_key: string | null;
  username: string | null;
  subject: string | null;
  client_id: string | null;
  jti: string | null;
  redactions: number;
  document: string;
};

/** The one place an event row becomes a StoredEvent. */
export function toStoredEvent(row: EventRowShape): StoredEvent {
  return {
    sequence: row.seq,
    id: row.id,
    time: row.time,
    receivedAt: row.received_at,
    serviceId: row.service_id,
    type: row.type,
    reason: row.reason,
    ip: row.ip,
    ipKey: row.ip_key,
    username: row.username,
    subject: row.subject,
    clientId: row.client_id,
    jti: row.jti,
    redactions: row.redactions,
    document: row.document,
  };
}
