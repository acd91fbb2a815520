import { handleApi, memberOf } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/v1/me: who this session or API token is, and its role. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/me', (call) => {
    const member = memberOf(call);
    return jsonResponse(
      member.kind === 'user'
        ? { kind: 'user', email: member.user.email, role: member.role }
        : { kind: 'token', id: member.token.id, name: member.token.name, role: member.role },
    );
  });
}
