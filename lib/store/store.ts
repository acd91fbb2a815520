/**
 * The storage interface. Everything above the store layer talks to this, so a
 * second engine (PostgreSQL, ClickHouse) can stand behind it later; the SQLite
 * implementation lives in `./sqlite`.
 */
export type Service = { id: number; name: string; createdAt: number };

export type IngestKeyRecord = {
  id: string;
  serviceId: number;
  serviceName: string;
  secretHash: Buffer;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
};

/** An event ready to store: validated, redacted, integer-coded where the column is low-cardinality. */
export type EventRecord = {
  id: string;
  time: number;
  receivedAt: number;
  serviceId: number;
  type: number;
  reason: number | null;
  ip: string | null;
  username: string | null;
  subject: string | null;
  clientId: string | null;
  jti: string | null;
  redactions: number;
  /** The whole event as JSON, kept as evidence. */
  document: string;
};

export type InsertOutcome = 'stored' | 'duplicate';

export type EventQuery = {
  since?: number;
  until?: number;
  serviceId?: number;
  type?: number;
  ip?: string;
  username?: string;
  subject?: string;
  limit?: number;
};

export type StoredEvent = EventRecord & { sequence: number };

/** Per-installation random secrets the store makes and keeps (never configured, never shown). */
export type InstallSecretName = 'event_id_digest';

export type RollupRow = { minute: number; serviceId: number; type: number; reason: number | null; count: number };

export interface Store {
  addService(name: string, now: number): Service;
  findServiceByName(name: string): Service | undefined;
  listServices(): Service[];

  insertIngestKey(key: Omit<IngestKeyRecord, 'serviceName' | 'revokedAt'>): void;
  findIngestKey(id: string): IngestKeyRecord | undefined;
  listIngestKeys(): IngestKeyRecord[];
  revokeIngestKey(id: string, now: number): boolean;

  /**
   * Stores the new events and recognises repeats, all in one durable
   * transaction. Stored events are readable at once; an engine may keep them in
   * a write-optimised place until `indexRecentEvents` moves them.
   */
  insertEvents(events: readonly EventRecord[]): InsertOutcome[];
  /** Moves at most `limit` of the oldest not-yet-indexed events to where they are indexed; returns how many moved. */
  indexRecentEvents(limit: number): number;
  /** How many stored events wait for `indexRecentEvents`. */
  unindexedEventCount(): number;
  /**
   * Copies committed changes from the engine's write-ahead log into its main
   * file without waiting for readers, so that no commit has to do it (and no
   * request queued behind that commit waits for the copy and its fsync).
   */
  checkpoint(): void;
  /** Newest first. */
  listEvents(query: EventQuery): StoredEvent[];
  countEvents(query: Omit<EventQuery, 'limit'>): number;
  listRollups(query: { since: number; until: number }): RollupRow[];

  /** Deletes at most `limit` events older than `cutoff`; returns how many went. */
  deleteEventsBefore(cutoff: number, limit: number): number;
  deleteRollupsBefore(cutoff: number, limit: number): number;

  /** The installation's random secret of that name, made on first start. */
  installSecret(name: InstallSecretName): Buffer;

  /** Throws unless a write can be committed now. */
  checkWritable(now: number): void;
  close(): void;
}
