import { z } from 'zod';
import { AuthwatchError } from '@/lib/errors';
import { EXPORT_ROW_CAP, exportEvents } from '@/lib/events/export-events';
import { parseEventSearchParams } from '@/lib/events/search-params';
import { handleApi } from '@/lib/http/handle-api';

export const dynamic = 'force-dynamic';

const Format = z.enum(['csv', 'ndjson']);
const MEDIA = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson' } as const;

/**
 * GET /api/v1/events/export?format=csv|ndjson plus the explorer's filters: the
 * filtered events, newest first, streamed, at most EXPORT_ROW_CAP rows
 * (stated in the X-Authwatch-Row-Cap header).
 */
export function GET(request: Request): Promise<Response> {
  return handleApi(request, 'GET /api/v1/events/export', ({ ctx }) => {
    const search = new URL(request.url).searchParams;
    const format = Format.safeParse(search.get('format') ?? 'csv');
    if (!format.success) throw new AuthwatchError('ERR_QUERY_INVALID', 'format: must be csv or ndjson');
    search.delete('format');
    search.delete('cursor');
    search.delete('limit');
    const lines = exportEvents({ ctx, input: parseEventSearchParams(search), format: format.data });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    const stamp = new Date(ctx.now).toISOString().replace(/[:.]/g, '-');
    return new Response(body, {
      headers: {
        'content-type': MEDIA[format.data],
        'content-disposition': `attachment; filename="authwatch-events-${stamp}.${format.data}"`,
        'cache-control': 'no-store',
        'x-authwatch-row-cap': String(EXPORT_ROW_CAP),
      },
    });
  });
}
