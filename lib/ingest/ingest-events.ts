import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { IngestCredential } from '../auth/authenticate-ingest';
import type { Context } from '../context';
import type { EventErrorCode } from '../errors';
import { EVENT_TYPE_CODES, REASON_CODES, type Reason } from '../events/catalog';
import { redactEvent } from '../events/redact';
import { Event } from '../events/schema';
import type { EventRecord } from '../store/store';
import { quoteForMessage } from '../text';
import { commitEvents } from './commit-queue';
import type { BatchItem } from './read-batch';

export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export type ItemRejection = { index: number; error: { code: EventErrorCode; message: string } };
export type IngestResult = { accepted: number; duplicates: number; rejected: ItemRejection[] };

export type IngestEventsInput = {
  credential: IngestCredential;
  items: readonly BatchItem[];
  retentionDays: number;
};

/** What the caller counts once the events are durably stored. */
export type IngestOutcome = {
  result: IngestResult;
  stored: Event[];
  storedRedactions: number;
};

type Candidate = { index: number; event: Event; record: EventRecord; redactions: number };

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

function checkItem(
  item: BatchItem,
  input: IngestEventsInput,
  now: number,
): { event: Event; time: number } | { code: EventErrorCode; message: string } {
  if (item.kind === 'malformed') return { code: 'ERR_EVENT_MALFORMED', message: `line ${item.line} is not valid JSON` };
  const parsed = Event.safeParse(item.value);
  if (!parsed.success) return describeIssues(parsed.error);
  const event = parsed.data;
  if (event.service !== undefined && event.service !== input.credential.serviceName) {
    return { code: 'ERR_SERVICE_MISMATCH', message: 'service differs from the service this credential is bound to' };
  }
  const time = Date.parse(event.time);
  if (time > now + MAX_FUTURE_SKEW_MS) {
    return { code: 'ERR_EVENT_TIME_IN_FUTURE', message: 'time is more than 5 minutes in the future' };
  }
  if (time < now - input.retentionDays * DAY_MS) {
    return { code: 'ERR_EVENT_TIME_TOO_OLD', message: `time is older than the ${input.retentionDays}-day retention` };
  }
  return { event, time };
}

function toRecord(event: Event, time: number, credential: IngestCredential, now: number, redactions: number): EventRecord {
  const id = event.id ?? randomUUID();
  // Completed in place (the parse made this object): a copy per event showed up in the ingest profile.
  event.id = id;
  event.service = credential.serviceName;
  return {
    id,
    time,
    receivedAt: now,
    serviceId: credential.serviceId,
    type: EVENT_TYPE_CODES[event.type],
    reason: event.reason === undefined ? null : REASON_CODES[event.reason as Reason],
    ip: event.source?.ip ?? null,
    username: event.actor?.username ?? null,
    subject: event.actor?.subject ?? null,
    clientId: event.actor?.client_id ?? null,
    jti: event.token?.jti ?? null,
    redactions,
    document: JSON.stringify(event),
  };
}

/**
 * Validates each item on its own, redacts secrets, and stores the valid ones in
 * one durable transaction, shared with concurrent requests (commit-queue.ts).
 * A bad item is reported by index and never sinks the rest; a repeat of a
 * stored (service, id) is acknowledged as a duplicate.
 */
export async function ingestEvents({ ctx, input }: { ctx: Context; input: IngestEventsInput }): Promise<IngestOutcome> {
  const rejected: ItemRejection[] = [];
  const candidates: Candidate[] = [];
  input.items.forEach((item, index) => {
    const checked = checkItem(item, input, ctx.now);
    if ('code' in checked) {
      rejected.push({ index, error: checked });
      return;
    }
    const sentId = checked.event.id;
    const redactions = redactEvent(checked.event);
    // A redacted id would make distinct events collide as duplicates: treat the event as sent without one.
    if (checked.event.id !== sentId) checked.event.id = undefined;
    candidates.push({
      index,
      event: checked.event,
      redactions,
      record: toRecord(checked.event, checked.time, input.credential, ctx.now, redactions),
    });
  });

  const outcomes = candidates.length > 0 ? await commitEvents(ctx, candidates.map((candidate) => candidate.record)) : [];
  const stored: Event[] = [];
  let storedRedactions = 0;
  outcomes.forEach((outcome, position) => {
    if (outcome !== 'stored') return;
    stored.push(candidates[position].event);
    storedRedactions += candidates[position].redactions;
  });
  return {
    result: { accepted: stored.length, duplicates: outcomes.length - stored.length, rejected },
    stored,
    storedRedactions,
  };
}
