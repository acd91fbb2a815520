import type { AccountStore } from './accounts';

/**
 * The storage interfaces. Everything above the store layer talks to these, so a
 * second engine (PostgreSQL, ClickHouse) can stand behind them later; the SQLite
 * implementation lives in `./sqlite`. `Store` writes (and serves credentials);
 * `EventReader` reads events.
 */
import type { Alert, AlertStatus } from '../detection/alert-lifecycle';
import type { RuleId } from '../detection/rule';
import type { CommonParams } from '../detection/rule-params';
import type { AlertChange, StoredAlert } from '../detection/detection-store';

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
  /** The address's canonical key (lib/net/ip-address.ts), made where the event is prepared. */
  ipKey: string | null;
  username: string | null;
  subject: string | null;
  clientId: string | null;
  jti: string | null;
  redactions: number;
  /** The whole event as JSON, kept as evidence. */
  document: string;
};

/** What became of one event offered to `insertEvents`: its sequence number once stored, or a repeat of one already stored. */
export type InsertOutcome = { stored: true; seq: number } | { stored: false };

/**
 * Which events a read wants. Each list means "any of these values"; lists of
 * different fields must all match. `ips` holds addresses or CIDR blocks
 * (IPv4 or IPv6), already validated (lib/net/ip-address.ts).
 */
export type EventFilter = {
  /** Inclusive, epoch ms of the event's own `time`. */
  since?: number;
  /** Exclusive. */
  until?: number;
  types?: readonly number[];
  reasons?: readonly number[];
  serviceIds?: readonly number[];
  ips?: readonly string[];
  usernames?: readonly string[];
  subjects?: readonly string[];
  clientIds?: readonly string[];
  jtis?: readonly string[];
  /** Words that must all appear in the stored event, case-insensitively (ASCII): a scan, bounded by the other filters and the page. */
  text?: string;
};

/** A position in newest-first order: the page after it starts with the next older event. */
export type EventCursor = { time: number; seq: number };

export type EventQuery = EventFilter & { limit?: number; cursor?: EventCursor };

export type StoredEvent = EventRecord & { sequence: number };

export type EventPage = { events: StoredEvent[]; nextCursor: EventCursor | null };
/** Per-installation random secrets the store makes and keeps (never configured, never shown). */
export type InstallSecretName = 'event_id_digest';

export type RollupRow = { minute: number; serviceId: number; type: number; reason: number | null; count: number };

export type BucketSize = 'minute' | 'hour' | 'day';

/** Event counts per time bucket, service, type and reason, from the rollups kept at ingest. */
export type BucketCount = { bucket: number; serviceId: number; type: number; reason: number | null; count: number };

/** The fields a top-N list can rank. */
export type TopField = 'ip' | 'username' | 'clientId' | 'serviceId' | 'reason';
/**
 * `failuresOnly`: count only failures (the failure types and account.locked), what an attack shows up as.
 * Addresses, usernames and clients are only ever ranked by their failures (the store counts no other
 * events of theirs); services and reasons by either.
 */
export type TopQuery = { since: number; until: number; limit: number } & (
  | { field: 'serviceId' | 'reason'; failuresOnly?: boolean }
  | { field: 'ip' | 'username' | 'clientId'; failuresOnly: true }
);
/**
 * A source address comes back in its canonical text form; services and reasons as their codes.
 * The true count lies in [count, count + margin]: margin is 0 where the count is exact, and above 0
 * where a day summary of the range kept only its most frequent values and this one was not among them.
 */
export type TopValue = { value: string | number; count: number; margin: number };
/**
 * Most frequent first (by `count`). `exact`: every count is exact and no value left out can rank
 * above the last one listed; false when day summaries leave that open (each row's margin says by how much).
 */
export type TopValues = { values: TopValue[]; exact: boolean };

export type AlertQuery = {
  statuses?: readonly AlertStatus[];
  rules?: readonly string[];
  severities?: readonly string[];
  services?: readonly string[];
  limit?: number;
  /** The id of the last alert of the previous page (alerts are listed newest first by id). */
  cursor?: number;
};
export type AlertPage = { alerts: StoredAlert[]; nextCursor: number | null };
export type AlertStatusCounts = Record<AlertStatus, number>;
export type AlertDetail = StoredAlert & {
  history: Array<{ at: number } & AlertChange>;
  deliveries: Array<{ target: string; kind: 'firing' | 'resolved'; state: 'pending' | 'delivered' | 'failed'; attempts: number; lastError: string | null; deliveredAt: number | null }>;
};

export type BacktestInput = { rule: RuleId; params: CommonParams; since: number; until: number; maxEvents: number };
export type BacktestOutcome = { alerts: Alert[]; events: number; truncated: boolean };

/**
 * The read verbs, engine-neutral and asynchronous: the server runs them on a
 * reader thread with its own read-only connection, never on the thread that
 * serves ingest. A ClickHouse engine implements the same verbs.
 */
export interface EventReader {
  /** Newest first by (time, seq); `nextCursor` continues after the last event, null at the end. */
  listEvents(query: EventQuery): Promise<EventPage>;
  countEvents(filter: EventFilter): Promise<number>;
  getEvent(seq: number): Promise<StoredEvent | undefined>;
  /** Stored events with a sequence above `afterSeq`, in sequence order, at most `limit`: how detection follows the store. */
  eventsAfter(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Counts per bucket over [since, until), aggregated from the rollups; buckets are epoch ms at the bucket's start (UTC).
   * `by: 'type'` sums over services and reasons (serviceId 0, reason null): far fewer rows for a chart by type.
   */
  bucketCounts(query: { since: number; until: number; bucket: BucketSize; serviceIds?: readonly number[]; types?: readonly number[]; by?: 'type' }): Promise<BucketCount[]>;
  /** The most frequent values of a field over [since, until), most frequent first, with how exact they are. */
  topValues(query: TopQuery): Promise<TopValues>;
  listAlerts(query: AlertQuery): Promise<AlertPage>;
  alertStatusCounts(query: AlertQuery): Promise<AlertStatusCounts>;
  getAlert(id: number): Promise<AlertDetail | undefined>;
  /** Alerts each rule opened since `since`, by rule id. */
  alertsOpenedSince(since: number): Promise<Record<string, number>>;
  /** Replays the stored events of a span through one rule with the given parameters: the alerts it would have raised. */
  backtest(input: BacktestInput): Promise<BacktestOutcome>;
  close(): Promise<void>;
}

export interface Store {
  /** People, sessions, API tokens, the audit log (lib/store/accounts.ts). */
  readonly accounts: AccountStore;

  addService(name: string, now: number): Service;
  findServiceByName(name: string): Service | undefined;
  listServices(): Service[];

  insertIngestKey(key: Omit<IngestKeyRecord, 'serviceName' | 'revokedAt'>): void;
  findIngestKey(id: string): IngestKeyRecord | undefined;
  listIngestKeys(): IngestKeyRecord[];
  revokeIngestKey(id: string, now: number): boolean;

  /**
   * Stores the new events and recognises repeats, all in one durable
   * transaction, and returns each one's outcome (with its sequence number once
   * stored). Stored events are readable at once through an EventReader.
   */
  insertEvents(events: readonly EventRecord[]): InsertOutcome[];

  /** Deletes at most `limit` events older than `cutoff`; returns how many went. */
  deleteEventsBefore(cutoff: number, limit: number): number;
  deleteRollupsBefore(cutoff: number, limit: number): number;

  /** A person's change to an alert (status, note), with its history entry, in one transaction; undefined when there is no such alert. */
  changeAlert(id: number, change: (alert: StoredAlert) => { alert: StoredAlert; entry: AlertChange; notify?: { kind: 'firing' | 'resolved'; targets: readonly string[] } }): StoredAlert | undefined;
  /** Saves a rule's parameters as a MANAGER set them; the detection engine reads them at its next step. */
  saveRuleSettings(rule: string, params: unknown, by: string, now: number): void;
  /** Parameters MANAGERs saved, by rule id, as stored. */
  ruleSettings(): Partial<Record<RuleId, unknown>>;
  /** The installation's random secret of that name, made on first start. */
  installSecret(name: InstallSecretName): Buffer;

  /** Throws unless a write can be committed now. */
  checkWritable(now: number): void;
  close(): void;
}
