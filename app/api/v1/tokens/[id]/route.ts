import { revokeApiToken } from '@/lib/auth/manage-api-tokens';
import { CredentialId, actorOfCall, handleApi, parseInput } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** DELETE /api/v1/tokens/{id} (ADMIN): revoke; the token stops working at once. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleApi(request, 'DELETE /api/v1/tokens/[id]', (call) => {
    revokeApiToken({ ctx: call.ctx, actor: actorOfCall(call), input: { id: parseInput(CredentialId, id) } });
    return jsonResponse({ revoked: id });
  });
}
