import { getConfig } from '@/lib/config';
import { renderMetrics } from '@/lib/metrics/render-metrics';
import { requestContext } from '@/lib/request-context';
import { errorResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/metrics: Prometheus text format. */
export async function GET(request: Request): Promise<Response> {
  try {
    const { contentType, body } = await renderMetrics({
      ctx: requestContext(),
      input: { authorization: request.headers.get('authorization'), expectedToken: getConfig().AUTHWATCH_METRICS_TOKEN },
    });
    return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error, request.headers.get('x-request-id'));
  }
}
