import { parseAlertSearchParams } from '@/lib/alerts/alert-search-params';
import { listAlerts } from '@/lib/alerts/list-alerts';
import { handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/v1/alerts (USER): `status`, `rule`, `severity`, `service`, `limit`, `cursor`; newest first, with counts per status. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/alerts', async ({ ctx }) =>
    jsonResponse(await listAlerts({ ctx, input: parseAlertSearchParams(new URL(request.url).searchParams) })),
  );
}
