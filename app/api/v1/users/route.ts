import { actorOfCall, baseUrlOfCall, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { AddUserInput, addUser, listUsers } from '@/lib/users/manage-users';
import { setupLinkUrl } from '@/lib/users/setup-links';

export const dynamic = 'force-dynamic';

/** GET /api/v1/users (ADMIN). */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/users', ({ ctx }) => jsonResponse({ users: listUsers({ ctx }) }));
}

/** POST /api/v1/users (ADMIN): invite `{ email, role }`; answers the one-time setup link, shown only now. */
export function POST(request: Request): Promise<Response> {
  return handleApi(
    request,
    'POST /api/v1/users',
    async (call) => {
      const added = await addUser({ ctx: call.ctx, actor: actorOfCall(call), input: call.body });
      return jsonResponse({ user: added.user, setupLink: setupLinkUrl(baseUrlOfCall(call), added.setupToken as string) }, { status: 201 });
    },
    AddUserInput.omit({ password: true }).strict(),
  );
}
