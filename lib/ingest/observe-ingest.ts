import 'server-only';
import { AuthwatchError } from '../errors';
import { EVENT_TYPE_BY_CODE, REASON_BY_CODE } from '../events/catalog';
import { fromEventRow } from '../store/event-row';
import { log } from '../log';
import { histograms } from '../metrics/histograms';
import { countRejection, countStoredEvents } from '../metrics/record-ingest';
import { errorResponse } from '../response';
import type { IngestOutcome } from './ingest-events';
import { rejectedCodes } from './rejections';
import type { IngestRequest } from './read-batch';

/**
 * Runs an ingest request, turns any failure into the JSON error shape, and
 * records its duration by status and, for a refused request, its reason.
 */
export async function observeIngest(request: IngestRequest, handle: () => Promise<Response>): Promise<Response> {
  const started = process.hrtime.bigint();
  let response: Response;
  try {
    response = await handle();
  } catch (error) {
    const code = error instanceof AuthwatchError ? error.code : 'ERR_INTERNAL';
    countRejection(code);
    // A client that hangs up mid-upload is no server fault: counted apart (client_aborted), logged low.
    if (code === 'ERR_CLIENT_ABORTED') log.debug('client aborted an upload', { requestId: request.headers.get('x-request-id') ?? undefined });
    response = errorResponse(error, request.headers.get('x-request-id'));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  histograms.ingestRequestDuration().observe({ status: String(response.status) }, seconds);
  return response;
}

/** Counts what a committed ingest stored and rejected. */
export function countIngestOutcome(service: string, outcome: IngestOutcome): void {
  let redactions = 0;
  const counted = outcome.stored.map((row) => {
    const { type, reason, redactions: replaced } = fromEventRow(row);
    redactions += replaced;
    return { type: EVENT_TYPE_BY_CODE.get(type)!, reason: reason === null ? undefined : REASON_BY_CODE.get(reason) };
  });
  countStoredEvents(service, counted, redactions);
  for (const [code, count] of rejectedCodes(outcome.rejected)) countRejection(code, count);
}
