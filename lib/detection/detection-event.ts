import { EVENT_TYPE_BY_CODE, REASON_BY_CODE, type EventType, type Reason } from '../events/catalog';
import type { StoredEvent } from '../store/store';

/**
 * What the rules read of a stored event: the columns the store keeps, plus the
 * few fields of the stored document that only some rules need (token claims,
 * scheme, mTLS subject). Times are epoch milliseconds.
 */
export type DetectionEvent = {
  /** The store's sequence: unique, increasing in the order events were committed. */
  seq: number;
  id: string;
  /** When it happened at the source: every window is measured on this. */
  time: number;
  /** When authwatch stored it: the engine clock a replay (backtest) stands in for. */
  receivedAt: number;
  service: string;
  type: EventType;
  reason: Reason | null;
  ip: string | null;
  username: string | null;
  subject: string | null;
  clientId: string | null;
  jti: string | null;
  tokenKid: string | null;
  tokenAlg: string | null;
  tokenIssuedAt: number | null;
  tokenExpiresAt: number | null;
  scheme: 'https' | 'http' | null;
  tlsSubject: string | null;
};

type StoredDocument = {
  service?: unknown;
  scheme?: unknown;
  token?: { kid?: unknown; alg?: unknown; issued_at?: unknown; expires_at?: unknown };
  tls?: { client_subject?: unknown };
};

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A JWT NumericDate (seconds) or an RFC 3339 string, as the event schema accepts, in milliseconds. */
function claimTimeMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string') return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

function readDocument(document: string): StoredDocument {
  try {
    const parsed: unknown = JSON.parse(document);
    return typeof parsed === 'object' && parsed !== null ? (parsed as StoredDocument) : {};
  } catch {
    return {};
  }
}

/**
 * Maps a stored event to what detection reads. Returns undefined for a type
 * code this catalog does not know (a row written by a newer version), so the
 * engine can pass over it instead of stopping on it.
 */
export function toDetectionEvent(stored: StoredEvent): DetectionEvent | undefined {
  const type = EVENT_TYPE_BY_CODE.get(stored.type);
  if (type === undefined) return undefined;
  const document = readDocument(stored.document);
  const token = typeof document.token === 'object' && document.token !== null ? document.token : {};
  const tls = typeof document.tls === 'object' && document.tls !== null ? document.tls : {};
  return {
    seq: stored.sequence,
    id: stored.id,
    time: stored.time,
    receivedAt: stored.receivedAt,
    service: stringOrNull(document.service) ?? `service-${stored.serviceId}`,
    type,
    reason: stored.reason === null ? null : (REASON_BY_CODE.get(stored.reason) ?? null),
    ip: stored.ip,
    username: stored.username,
    subject: stored.subject,
    clientId: stored.clientId,
    jti: stored.jti,
    tokenKid: stringOrNull(token.kid),
    tokenAlg: stringOrNull(token.alg),
    tokenIssuedAt: claimTimeMs(token.issued_at),
    tokenExpiresAt: claimTimeMs(token.expires_at),
    scheme: document.scheme === 'http' || document.scheme === 'https' ? document.scheme : null,
    tlsSubject: stringOrNull(tls.client_subject),
  };
}
