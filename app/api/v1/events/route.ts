import { handleIngestRequest } from '@/lib/ingest/handle-ingest-request';

export const dynamic = 'force-dynamic';

/** POST /api/v1/events; in production server.js reaches the same handler without Next's router. */
export function POST(request: Request): Promise<Response> {
  return handleIngestRequest(request);
}
