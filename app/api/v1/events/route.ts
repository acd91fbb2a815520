import { handleApi } from '@/lib/http/handle-api';
import { handleIngestRequest } from '@/lib/ingest/handle-ingest-request';
import { searchEvents } from '@/lib/events/search-events';
import { parseEventSearchParams } from '@/lib/events/search-params';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** POST /api/v1/events; in production server.js reaches the same handler without Next's router. */
export function POST(request: Request): Promise<Response> {
  return handleIngestRequest(request);
}

/** GET /api/v1/events (USER): the explorer's filters as query parameters, newest first, with a cursor to the next page. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/events', async ({ ctx }) =>
    jsonResponse(await searchEvents({ ctx, input: parseEventSearchParams(new URL(request.url).searchParams) })),
  );
}
