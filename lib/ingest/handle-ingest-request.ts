import 'server-only';
import { authenticateIngest } from '../auth/authenticate-ingest';
import { getConfig } from '../config';
import { requestContext } from '../request-context';
import { jsonResponse } from '../response';
import { getCore } from '../core';
import { eventIdKey } from './event-id-key';
import { prepareBatch } from './event-preparer';
import { ingestEvents } from './ingest-events';
import { reserveIngestRate, settleIngestRate } from './ingest-rate';
import { countIngestOutcome, observeIngest } from './observe-ingest';
import { readEventBody, type IngestRequest } from './read-batch';
import { rejectionCount } from './rejections';

/**
 * POST /api/v1/events: one event, a JSON array, or NDJSON from an authenticated
 * service. The route exports it, and server.js calls it directly (see there).
 */
export async function handleIngestRequest(request: IngestRequest): Promise<Response> {
  // The bytes this request holds count against the bound on bytes in flight until it is answered.
  const budget = getCore().ingestBytesInFlight.open();
  return observeIngest(request, async () => {
    const ctx = requestContext();
    const credential = authenticateIngest({ ctx, input: { authorization: request.headers.get('authorization') } });
    const body = await readEventBody(request, budget);
    const reserved = reserveIngestRate(credential, body.bytes, Date.now());
    const batch = await prepareBatch(getCore().preparer, credential.keyId, {
      body,
      service: { id: credential.serviceId, name: credential.serviceName },
      now: Date.now(),
      retentionDays: getConfig().AUTHWATCH_RETENTION_DAYS,
      idKey: eventIdKey(ctx),
    });
    // The rate counts every item of the request, good or bad: each became a row or a rejection.
    settleIngestRate(credential, reserved, batch.rows.length + rejectionCount(batch.rejected), Date.now());
    const outcome = await ingestEvents({ ctx, input: { batch, fairnessKey: credential.keyId } });
    countIngestOutcome(credential.serviceName, outcome);
    return jsonResponse(outcome.result);
  }).finally(() => budget.release());
}
