import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EventErrorCode } from '../errors';
import { EVENT_TYPE_CODES, REASON_CODES, type Reason } from '../events/catalog';
import { redactEvent } from '../events/redact';
import { Event } from '../events/schema';
import type { EventRow } from '../store/event-row';
import { quoteForMessage } from '../text';
import { parseEventBatch, type BatchItem, type EventBody } from './read-batch';

export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export type ItemRejection = { index: number; error: { code: EventErrorCode; message: string } };

/** The service a credential is bound to: every event of the request belongs to it. */
export type IngestService = { id: number; name: string };

export type PrepareEventsInput = { body: EventBody; service: IngestService; now: number; retentionDays: number };

/**
 * A request's events, parsed, validated and redacted: the rows to store, and
 * each bad item by index. Plain data, so it can come back from another thread.
 */
export type PreparedBatch = { rows: EventRow[]; rejected: ItemRejection[] };

function describeIssues(error: z.ZodError): { code: EventErrorCode; message: string } {
  const unknown = error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const fields = unknown.keys.map((key) => quoteForMessage([...unknown.path, key].join('.'))).join(', ');
    return { code: 'ERR_EVENT_UNKNOWN_FIELD', message: `unknown field ${fields}` };
  }
  const message = error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'event'}: ${issue.message}`)
    .join('; ');
  return { code: 'ERR_EVENT_INVALID', message };
}

function checkItem(item: BatchItem, input: PrepareEventsInput): { event: Event; time: number } | { code: EventErrorCode; message: string } {
  if (item.kind === 'malformed') return { code: 'ERR_EVENT_MALFORMED', message: `line ${item.line} is not valid JSON` };
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
 * row, and its document, exist. Pure CPU work: the production server runs it
 * on a thread of its own (event-preparer.ts). Throws for a body that is not a
 * batch at all (malformed, empty, too many events).
 */
export function prepareEvents(input: PrepareEventsInput): PreparedBatch {
  const items = parseEventBatch(input.body);
  const rows: EventRow[] = [];
  const rejected: ItemRejection[] = [];
  items.forEach((item, index) => {
    const checked = checkItem(item, input);
    if ('code' in checked) {
      rejected.push({ index, error: checked });
      return;
    }
    const sentId = checked.event.id;
    const redactions = redactEvent(checked.event);
    // A redacted id would make distinct events collide as duplicates: treat the event as sent without one.
    if (checked.event.id !== sentId) checked.event.id = undefined;
    rows.push(toRow(checked.event, checked.time, input, redactions));
  });
  return { rows, rejected };
}
