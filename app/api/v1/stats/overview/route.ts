import { handleApi } from '@/lib/http/handle-api';
import { parseQueryParams } from '@/lib/query-params';
import { jsonResponse } from '@/lib/response';
import { overviewStats } from '@/lib/stats/overview-stats';
import { TimeRangeParams, resolveTimeRange } from '@/lib/stats/time-range';

export const dynamic = 'force-dynamic';

/** GET /api/v1/stats/overview?range=24h (or from/to): the overview's tiles, series, reasons, top lists and open alerts. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/stats/overview', async ({ ctx }) => {
    const params = parseQueryParams(TimeRangeParams.strict(), new URL(request.url).searchParams, new Set());
    return jsonResponse(await overviewStats({ ctx, range: resolveTimeRange(params, ctx.now) }));
  });
}
