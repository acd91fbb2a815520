import { requestContext } from '@/lib/request-context';
import { errorResponse, jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/ready: the database accepts a committed write right now. */
export function GET(request: Request): Response {
  try {
    const ctx = requestContext();
    ctx.store.checkWritable(ctx.now);
    return jsonResponse({ status: 'ready' });
  } catch (error) {
    return errorResponse(error, request.headers.get('x-request-id'));
  }
}
