import { readerOf, type Context } from '../context';
import type { AlertSearchParams } from './alert-search-params';
import { toAlertView, type AlertView } from './alert-view';

/** `GET /api/v1/alerts`: newest first, with the count of each status under the other filters. */
export async function listAlerts({ ctx, input }: { ctx: Context; input: AlertSearchParams }): Promise<{
  alerts: AlertView[];
  next_cursor: number | null;
  counts: Record<'open' | 'acknowledged' | 'resolved', number>;
}> {
  const reader = readerOf(ctx);
  const query = { statuses: input.status, rules: input.rule, severities: input.severity, services: input.service, limit: input.limit, cursor: input.cursor };
  const [page, counts] = await Promise.all([reader.listAlerts(query), reader.alertStatusCounts(query)]);
  return { alerts: page.alerts.map(toAlertView), next_cursor: page.nextCursor, counts };
}
