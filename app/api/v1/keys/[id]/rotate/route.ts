import { z } from 'zod';
import { rotateIngestKey } from '@/lib/auth/audited-ingest-keys';
import { CredentialId, actorOfCall, handleApi, parseInput } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** POST /api/v1/keys/{id}/rotate (ADMIN): a new key for the same service, shown once; the old one expires in 24 h. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleApi(
    request,
    'POST /api/v1/keys/[id]/rotate',
    (call) =>
      jsonResponse(
        rotateIngestKey({ ctx: call.ctx, actor: actorOfCall(call), input: { id: parseInput(CredentialId, id), expires: call.body.expires } }),
        { status: 201 },
      ),
    z.strictObject({ expires: z.string().max(16).optional() }),
  );
}
