import { handleApi } from '@/lib/http/handle-api';
import { clearedSessionCookie, sessionCookie } from '@/lib/http/session-cookie';
import { jsonResponse } from '@/lib/response';
import { endSession } from '@/lib/users/sessions';
import { SignInInput, signIn } from '@/lib/users/sign-in';

export const dynamic = 'force-dynamic';

/** POST /api/session: sign in with email and password; the session token goes only into the cookie. */
export function POST(request: Request): Promise<Response> {
  return handleApi(
    request,
    'POST /api/session',
    async ({ ctx, meta, body, record }) => {
      const { user, session } = await signIn({ ctx, input: body, meta, record });
      return jsonResponse(
        { user: { email: user.email, role: user.role } },
        { headers: { 'set-cookie': sessionCookie(meta.scheme, session.token, session.maxAgeSeconds) } },
      );
    },
    SignInInput,
  );
}

/** DELETE /api/session: sign out. */
export function DELETE(request: Request): Promise<Response> {
  return handleApi(request, 'DELETE /api/session', ({ ctx, meta, principal }) => {
    if (principal?.kind === 'user') endSession(ctx, principal.sessionHash);
    return jsonResponse({ signedOut: true }, { headers: { 'set-cookie': clearedSessionCookie(meta.scheme) } });
  });
}
