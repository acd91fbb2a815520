import { actorOfCall, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { UpdateRuleBody, updateRuleAudited } from '@/lib/rules/update-rule-audited';

export const dynamic = 'force-dynamic';

/** PUT /api/v1/rules/{id} (MANAGER): `{ params }`, validated by the rule's own schema; audited. */
export async function PUT(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleApi(
    request,
    'PUT /api/v1/rules/[id]',
    (call) => jsonResponse({ rule: id, params: updateRuleAudited({ ctx: call.ctx, actor: actorOfCall(call), input: { id, body: call.body } }) }),
    UpdateRuleBody,
  );
}
