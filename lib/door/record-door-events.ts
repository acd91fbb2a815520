import 'server-only';
import { randomUUID } from 'node:crypto';
import { getConfig } from '../config';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import type { Event } from '../events/schema';
import type { RequestMeta } from '../http/request-meta';
import { getCore } from '../core';
import { eventIdKey } from '../ingest/event-id-key';
import { prepareBatch } from '../ingest/event-preparer';
import { ingestEvents } from '../ingest/ingest-events';
import { countIngestOutcome } from '../ingest/observe-ingest';
import type { IngestService } from '../ingest/prepare-events';
import { log } from '../log';
import { DOOR_SERVICE } from './door-service';

/**
 * authwatch watches its own door: dashboard sign-ins (success, failure,
 * lockout) and rejected API tokens become v1 events of the service `authwatch`,
 * stored and counted by the very pipeline ingested events take, so the
 * detection rules cover authwatch too. The service is reserved: no ingest key
 * can be made for it, so nobody else can speak in its name.
 *
 * An event names who tried (the email typed, a token's public id) and from
 * where; never a password or a token's secret.
 */
export { DOOR_SERVICE };

export type DoorEvent = Pick<Event, 'type' | 'reason'> & {
  meta: RequestMeta;
  target: { method: string; path: string };
  actor?: Event['actor'];
  tokenId?: string;
};

function toV1Event(event: DoorEvent, now: number): Event {
  return {
    id: randomUUID(),
    time: new Date(now).toISOString(),
    type: event.type,
    reason: event.reason,
    source: { ip: event.meta.ip ?? undefined, user_agent: event.meta.userAgent ?? undefined },
    actor: event.actor,
    target: { ...event.target, service: DOOR_SERVICE },
    token: event.tokenId ? { jti: event.tokenId } : undefined,
    scheme: event.meta.scheme,
  };
}

function doorService(ctx: Context): IngestService {
  const found = ctx.store.findServiceByName(DOOR_SERVICE);
  if (found) return found;
  try {
    return ctx.store.addService(DOOR_SERVICE, ctx.now);
  } catch (error) {
    // Another request registered it first.
    const raced = ctx.store.findServiceByName(DOOR_SERVICE);
    if (raced) return raced;
    throw error;
  }
}

/**
 * Stores and counts the events; resolves once they are durable. A failure is
 * logged, never thrown: a full disk must not also lock everyone out.
 */
export async function recordDoorEvents(ctx: Context, events: readonly DoorEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    const service = doorService(ctx);
    const text = JSON.stringify(events.map((event) => toV1Event(event, ctx.now)));
    const batch = await prepareBatch(getCore().preparer, DOOR_SERVICE, {
      body: { mediaType: 'json', text, bytes: Buffer.byteLength(text) },
      service,
      now: ctx.now,
      retentionDays: getConfig().AUTHWATCH_RETENTION_DAYS,
      idKey: eventIdKey(ctx),
    });
    const outcome = await ingestEvents({ ctx, input: { batch, fairnessKey: DOOR_SERVICE } });
    countIngestOutcome(DOOR_SERVICE, outcome);
    const [firstRejection] = batch.rejected.listed;
    if (firstRejection) log.warn('a sign-in event was rejected', { code: firstRejection.error.code });
  } catch (error) {
    log.warn('could not record sign-in events', { code: error instanceof AuthwatchError ? error.code : 'ERR_INTERNAL' });
  }
}
