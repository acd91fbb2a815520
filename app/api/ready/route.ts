import { readyResponse } from '@/lib/http/operational-responses';

export const dynamic = 'force-dynamic';

/** GET /api/ready: the store's last write (or a fresh probe) succeeded. server.js answers it first (lib/http/operational-responses.ts). */
export function GET(request: Request): Promise<Response> {
  return readyResponse(request.headers.get('x-request-id'));
}
