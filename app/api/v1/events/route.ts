import { authenticateIngest } from '@/lib/auth/authenticate-ingest';
import { getConfig } from '@/lib/config';
import { ingestEvents } from '@/lib/ingest/ingest-events';
import { enforceIngestRate } from '@/lib/ingest/ingest-rate';
import { countIngestOutcome, observeIngest } from '@/lib/ingest/observe-ingest';
import { readEventBatch } from '@/lib/ingest/read-batch';
import { requestContext } from '@/lib/request-context';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** POST /api/v1/events: one event, a JSON array, or NDJSON from an authenticated service. */
export async function POST(request: Request): Promise<Response> {
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
