import { randomUUID } from 'node:crypto';
import { DAY_MS } from '../time';
import { EVENT_TYPE_CODES, REASON_CODES, type Reason } from '../events/catalog';
import { redactEvent, scanBudget } from '../events/redact';
import { ipKey } from '../net/ip-address';
import { Event } from '../events/schema';
import type { EventRow } from '../store/event-row';
import { describeIssues, type EventProblem } from './describe-issues';
import { parseEventBatch, type BatchItem, type EventBody } from './read-batch';
import { addRejection, noRejections, type Rejections } from './rejections';

export type { ItemRejection } from './rejections';

export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Attribute names that would reach an object's prototype (`attributes.__proto__` was silently dropped). */
const RESERVED_ATTRIBUTE_NAMES = ['__proto__', 'constructor', 'prototype'];

/** The service a credential is bound to: every event of the request belongs to it. */
export type IngestService = { id: number; name: string };

export type PrepareEventsInput = {
  body: EventBody;
  service: IngestService;
  now: number;
  retentionDays: number;
  /** The install's key for digests of secret-looking ids; handed in, so the preparer thread never reads the database. */
  idKey: Uint8Array;
};

/**
 * A request's events, parsed, validated and redacted: the rows to store, and
 * the bad items by index. Plain data, so it can come back from another thread.
 */
export type PreparedBatch = { rows: EventRow[]; rejected: Rejections };

function reservedAttributeName(value: unknown): string | undefined {
  const attributes = value !== null && typeof value === 'object' ? (value as { attributes?: unknown }).attributes : undefined;
  if (attributes === null || typeof attributes !== 'object') return undefined;
  return RESERVED_ATTRIBUTE_NAMES.find((name) => Object.hasOwn(attributes, name));
}

function checkItem(item: BatchItem, input: PrepareEventsInput): { event: Event; time: number } | EventProblem {
  if (item.kind === 'malformed') return { code: 'ERR_EVENT_MALFORMED', message: `line ${item.line} is not valid JSON` };
  const reserved = reservedAttributeName(item.value);
  if (reserved) return { code: 'ERR_EVENT_RESERVED_KEY', message: `attributes: '${reserved}' is a reserved name` };
  const parsed = Event.safeParse(item.value);
  if (!parsed.success) return describeIssues(parsed.error);
  const event = parsed.data;
  if (event.service !== undefined && event.service !== input.service.name) {
    return { code: 'ERR_SERVICE_MISMATCH', message: 'service differs from the service this credential is bound to' };
  }
  const time = Date.parse(event.time);
  if (time > input.now + MAX_FUTURE_SKEW_MS) {
    return { code: 'ERR_EVENT_TIME_IN_FUTURE', message: 'time is more than 5 minutes in the future' };
  }
  if (time < input.now - input.retentionDays * DAY_MS) {
    return { code: 'ERR_EVENT_TIME_TOO_OLD', message: `time is older than the ${input.retentionDays}-day retention` };
  }
  return { event, time };
}

function toRow(event: Event, time: number, input: PrepareEventsInput, redactions: number): EventRow {
  const id = event.id ?? randomUUID();
  // Completed in place (the parse made this object): a copy per event showed up in the ingest profile.
  event.id = id;
  event.service = input.service.name;
  return [
    id,
    time,
    input.now,
    input.service.id,
    EVENT_TYPE_CODES[event.type],
    event.reason === undefined ? null : REASON_CODES[event.reason as Reason],
    event.source?.ip ?? null,
    ipKey(event.source?.ip),
    event.actor?.username ?? null,
    event.actor?.subject ?? null,
    event.actor?.client_id ?? null,
    event.token?.jti ?? null,
    redactions,
    JSON.stringify(event),
  ];
}

/**
 * Parses a request body and checks each item on its own: a bad item is
 * reported by index and never sinks the rest. Secrets are redacted before the
 * row, and its document, exist; an id that holds one becomes its keyed digest,
 * so a retry still matches. Pure CPU work: the production server runs it on a
 * thread of its own (event-preparer.ts). Throws for a body that is not a batch
 * at all (malformed, empty, too many events).
 */
export function prepareEvents(input: PrepareEventsInput): PreparedBatch {
  const items = parseEventBatch(input.body);
  const rows: EventRow[] = [];
  const rejected = noRejections();
  const budget = scanBudget(items.length);
  items.forEach((item, index) => {
    const checked = checkItem(item, input);
    if ('code' in checked) {
      addRejection(rejected, { index, error: checked });
      return;
    }
    const redactions = redactEvent(checked.event, input.idKey, budget);
    rows.push(toRow(checked.event, checked.time, input, redactions));
  });
  return { rows, rejected };
}
