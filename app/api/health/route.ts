import { jsonResponse } from '@/lib/response';

export const dynamic = 'force-dynamic';

/** GET /api/health: the process is alive and answering. */
export function GET(): Response {
  return jsonResponse({ status: 'ok' });
}
