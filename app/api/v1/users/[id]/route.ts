import { z } from 'zod';
import { Role } from '@/lib/auth/roles';
import { actorOfCall, parseInput, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { UserId, disableUser, setUserRole } from '@/lib/users/manage-users';

export const dynamic = 'force-dynamic';

const ChangeUserInput = z.union([z.strictObject({ role: Role }), z.strictObject({ status: z.literal('disabled') })]);

/** PATCH /api/v1/users/{id} (ADMIN): `{ role }` or `{ status: "disabled" }`; either ends the user's sessions. */
export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleApi(
    request,
    'PATCH /api/v1/users/[id]',
    (call) => {
      const input = { user: { id: parseInput(UserId, id) } };
      const actor = actorOfCall(call);
      const user =
        'role' in call.body
          ? setUserRole({ ctx: call.ctx, actor, input: { ...input, role: call.body.role } })
          : disableUser({ ctx: call.ctx, actor, input });
      return jsonResponse({ user });
    },
    ChangeUserInput,
  );
}
