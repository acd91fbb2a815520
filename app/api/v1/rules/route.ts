import { handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { listRules } from '@/lib/rules/list-rules';

export const dynamic = 'force-dynamic';

/** GET /api/v1/rules (USER): every rule, its parameters and its alerts of the last 7 days. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/rules', async ({ ctx }) => jsonResponse(await listRules({ ctx })));
}
