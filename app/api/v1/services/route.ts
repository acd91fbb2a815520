import { addServiceAudited } from '@/lib/auth/audited-ingest-keys';
import { actorOfCall, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { AddServiceInput, listServices } from '@/lib/services/manage-services';

export const dynamic = 'force-dynamic';

/** GET /api/v1/services: the registered services. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/services', ({ ctx }) => jsonResponse({ services: listServices({ ctx }) }));
}

/** POST /api/v1/services (ADMIN): register `{ name }`. */
export function POST(request: Request): Promise<Response> {
  return handleApi(
    request,
    'POST /api/v1/services',
    (call) => jsonResponse({ service: addServiceAudited({ ctx: call.ctx, actor: actorOfCall(call), input: call.body }) }, { status: 201 }),
    AddServiceInput.strict(),
  );
}
