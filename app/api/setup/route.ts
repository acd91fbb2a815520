import { handleApi } from '@/lib/http/handle-api';
import { sessionCookie } from '@/lib/http/session-cookie';
import { jsonResponse } from '@/lib/response';
import { CompleteSetupInput, completeSetup } from '@/lib/users/setup-links';

export const dynamic = 'force-dynamic';

/** POST /api/setup: choose the password a one-time setup link was made for; signs the account in. */
export function POST(request: Request): Promise<Response> {
  return handleApi(
    request,
    'POST /api/setup',
    async ({ ctx, meta, body }) => {
      const { user, session } = await completeSetup({ ctx, input: body, meta });
      return jsonResponse(
        { user: { email: user.email, role: user.role } },
        { headers: { 'set-cookie': sessionCookie(meta.scheme, session.token, session.maxAgeSeconds) } },
      );
    },
    CompleteSetupInput,
  );
}
