import { changeAlertAudited } from '@/lib/alerts/change-alert-audited';
import { ChangeAlertInput } from '@/lib/alerts/change-alert';
import { getAlert } from '@/lib/alerts/get-alert';
import { actorOfCall, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };
const alertId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : 0);

/** GET /api/v1/alerts/{id} (USER): the alert with its evidence event ids, history and notifications. */
export async function GET(request: Request, { params }: Params): Promise<Response> {
  const { id } = await params;
  return handleApi(request, 'GET /api/v1/alerts/[id]', async ({ ctx }) => jsonResponse(await getAlert({ ctx, input: { id: alertId(id) } })));
}

/** PATCH /api/v1/alerts/{id} (MANAGER): `{ status, note }`; recorded in its history and the audit log. */
export async function PATCH(request: Request, { params }: Params): Promise<Response> {
  const { id } = await params;
  return handleApi(
    request,
    'PATCH /api/v1/alerts/[id]',
    (call) => jsonResponse(changeAlertAudited({ ctx: call.ctx, actor: actorOfCall(call), input: { id: alertId(id), change: call.body } })),
    ChangeAlertInput,
  );
}
