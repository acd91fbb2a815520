import 'server-only';
import { getConfig } from '../config';
import { renderMetrics } from '../metrics/render-metrics';
import { requestContext } from '../request-context';
import { errorResponse, jsonResponse } from '../response';
import { checkReady } from '../store/check-ready';

/**
 * The answers of /api/health, /api/ready and /api/metrics. Their routes return
 * them, and server.js serves them without Next's router (4–6 ms of CPU per
 * request), so a flood of probes and scrapes costs what the answer costs.
 */
export function healthResponse(): Response {
  return jsonResponse({ status: 'ok' });
}

export async function readyResponse(requestId: string | null): Promise<Response> {
  try {
    await checkReady({ ctx: requestContext() });
    return jsonResponse({ status: 'ready' });
  } catch (error) {
    return errorResponse(error, requestId);
  }
}

export async function metricsResponse(authorization: string | null, requestId: string | null): Promise<Response> {
  try {
    const { contentType, body } = await renderMetrics({
      ctx: requestContext(),
      input: { authorization, expectedToken: getConfig().AUTHWATCH_METRICS_TOKEN },
    });
    return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error, requestId);
  }
}
