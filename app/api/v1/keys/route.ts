import { z } from 'zod';
import { createIngestKeyAudited, listIngestKeysWithUse } from '@/lib/auth/audited-ingest-keys';
import { actorOfCall, handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/v1/keys (ADMIN): every ingest key, with status and last use, never its secret. */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/keys', ({ ctx }) => jsonResponse({ keys: listIngestKeysWithUse({ ctx }) }));
}

/** POST /api/v1/keys (ADMIN): `{ service, expires? }`; the key is in this answer only. */
export function POST(request: Request): Promise<Response> {
  return handleApi(
    request,
    'POST /api/v1/keys',
    (call) => jsonResponse(createIngestKeyAudited({ ctx: call.ctx, actor: actorOfCall(call), input: call.body }), { status: 201 }),
    // The verb validates the name and lifetime; here only the shape.
    z.strictObject({ service: z.string().max(64), expires: z.string().max(16).optional() }),
  );
}
