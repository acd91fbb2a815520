import { handleApi } from '@/lib/http/handle-api';
import { jsonResponse } from '@/lib/response';
import { BacktestInput, backtestRule } from '@/lib/rules/backtest-rule';

export const dynamic = 'force-dynamic';

/** POST /api/v1/rules/{id}/backtest (MANAGER): `{ params, days }`: what the proposed parameters would have raised, against the current ones. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleApi(
    request,
    'POST /api/v1/rules/[id]/backtest',
    async (call) => jsonResponse(await backtestRule({ ctx: call.ctx, input: { id, body: call.body } })),
    BacktestInput,
  );
}
