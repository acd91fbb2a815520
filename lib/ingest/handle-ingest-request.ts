import 'server-only';
import { authenticateIngest } from '../auth/authenticate-ingest';
import { getConfig } from '../config';
import { requestContext } from '../request-context';
import { jsonResponse } from '../response';
import { ingestEvents } from './ingest-events';
import { enforceIngestRate } from './ingest-rate';
import { countIngestOutcome, observeIngest } from './observe-ingest';
import { readEventBatch } from './read-batch';

/**
 * POST /api/v1/events: one event, a JSON array, or NDJSON from an authenticated
 * service. The route exports it, and server.js calls it directly (see there).
 */
export async function handleIngestRequest(request: Request): Promise<Response> {
  return observeIngest(request, async () => {
    const ctx = requestContext();
    const credential = authenticateIngest({ ctx, input: { authorization: request.headers.get('authorization') } });
    const items = await readEventBatch(request);
    enforceIngestRate(credential, items.length, Date.now());
    const outcome = await ingestEvents({
      ctx: { ...ctx, now: Date.now() },
      input: { credential, items, retentionDays: getConfig().AUTHWATCH_RETENTION_DAYS },
    });
    countIngestOutcome(credential.serviceName, outcome);
    return jsonResponse(outcome.result);
  });
}
