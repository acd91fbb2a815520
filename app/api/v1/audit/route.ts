import { AuditFilter, auditFilterInput, listAudit } from '@/lib/audit/list-audit';
import { handleApi, parseInput } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/v1/audit (ADMIN): `actor`, `action`, `target`, `from`, `to`, `before`, `limit` (≤ 500); newest first. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/audit', ({ ctx }) => {
    const filter = parseInput(AuditFilter, auditFilterInput(new URL(request.url).searchParams));
    const page = listAudit({ ctx, input: filter });
    return jsonResponse({ entries: page.entries, next_before: page.nextBefore });
  });
}
