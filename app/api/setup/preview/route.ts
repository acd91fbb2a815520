import { z } from 'zod';
import { handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { SetupToken, describeSetupLink } from '@/lib/users/setup-links';

export const dynamic = 'force-dynamic';

/** POST /api/setup/preview: what a setup link is for (the token is posted: it lives in the link's fragment). */
export function POST(request: Request): Promise<Response> {
  return handleApi(
    request,
    'POST /api/setup/preview',
    ({ ctx, body }) => jsonResponse(describeSetupLink({ ctx, input: body })),
    z.object({ token: SetupToken }),
  );
}
