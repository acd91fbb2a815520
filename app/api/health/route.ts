import { healthResponse } from '@/lib/http/operational-responses';

export const dynamic = 'force-dynamic';

/** GET /api/health: the process is alive and answering. server.js answers it first (lib/http/operational-responses.ts). */
export function GET(): Response {
  return healthResponse();
}
