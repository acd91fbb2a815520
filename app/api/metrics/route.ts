import { metricsResponse } from '@/lib/http/operational-responses';

export const dynamic = 'force-dynamic';

/** GET /api/metrics: Prometheus text format. server.js answers it first (lib/http/operational-responses.ts). */
export function GET(request: Request): Promise<Response> {
  return metricsResponse(request.headers.get('authorization'), request.headers.get('x-request-id'));
}
