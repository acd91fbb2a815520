import { checkReady } from '@/lib/store/check-ready';
import { requestContext } from '@/lib/request-context';
import { errorResponse, jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/ready: the store's last write (or a fresh probe) succeeded. */
export async function GET(request: Request): Promise<Response> {
  try {
    await checkReady({ ctx: requestContext() });
    return jsonResponse({ status: 'ready' });
  } catch (error) {
    return errorResponse(error, request.headers.get('x-request-id'));
  }
}
