import { z } from 'zod';
import { createApiToken, listApiTokens } from '@/lib/auth/manage-api-tokens';
import { Role } from '@/lib/auth/roles';
import { actorOfCall, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/v1/tokens (ADMIN): every API token, without its secret. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/tokens', ({ ctx }) => jsonResponse({ tokens: listApiTokens({ ctx }) }));
}

/** POST /api/v1/tokens (ADMIN): `{ name, role, expires? }`; the token is in this answer only. */
export function POST(request: Request): Promise<Response> {
  return handleApi(
    request,
    'POST /api/v1/tokens',
    (call) => jsonResponse(createApiToken({ ctx: call.ctx, actor: actorOfCall(call), input: call.body }), { status: 201 }),
    // The verb validates the name and lifetime; here only the shape.
    z.strictObject({ name: z.string().max(64), role: Role, expires: z.string().max(16).optional() }),
  );
}
