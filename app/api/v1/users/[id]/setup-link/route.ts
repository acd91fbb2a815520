import { actorOfCall, parseInput, baseUrlOfCall, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { UserId, issuePasswordResetLink } from '@/lib/users/manage-users';
import { setupLinkUrl } from '@/lib/users/setup-links';

export const dynamic = 'force-dynamic';

/** POST /api/v1/users/{id}/setup-link (ADMIN): a new one-time link to set the user's password, shown only now. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleApi(request, 'POST /api/v1/users/[id]/setup-link', (call) => {
    const issued = issuePasswordResetLink({ ctx: call.ctx, actor: actorOfCall(call), input: { user: { id: parseInput(UserId, id) } } });
    return jsonResponse({ user: issued.user, setupLink: setupLinkUrl(baseUrlOfCall(call), issued.setupToken as string) }, { status: 201 });
  });
}
