import { headers } from 'next/headers';
import { getConfig } from '@/lib/config';
import { requirePage } from '@/lib/http/page-access';
import { requestMeta } from '@/lib/http/request-meta';
import { requestContext } from '@/lib/request-context';
import { overviewStats } from '@/lib/stats/overview-stats';
import { resolvePageRange } from '@/lib/stats/time-range';
import { defaultBaseUrl } from '@/lib/users/first-run';
import { OverviewLive } from '@/app/ui/dashboard/overview-live';

export const metadata = { title: 'Overview · authwatch' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The curl line that sends a first event to this authwatch, as the empty state shows it. */
function firstEventCommand(baseUrl: string): string {
  return [
    `curl -sS ${baseUrl}/api/v1/events \\`,
    `  -H "Authorization: Bearer $INGEST_KEY" -H 'Content-Type: application/json' \\`,
    `  -d '{"id":"evt-0001","time":"'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'","type":"login.failure","reason":"bad_credentials","source":{"ip":"203.0.113.7"},"actor":{"username":"alice"},"scheme":"https"}'`,
  ].join('\n');
}

/** `/`: KPI tiles, events by type, reasons, top lists and open alerts over the chosen range, live. */
export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage('PAGE /');
  const params = await searchParams;
  const ctx = requestContext();
  const range = resolvePageRange(params, ctx.now);
  const stats = await overviewStats({ ctx, range });
  const query = new URLSearchParams(range.preset ? { range: range.preset } : { from: stats.from, to: stats.to }).toString();
  const baseUrl = requestMeta(await headers(), getConfig()).origin ?? defaultBaseUrl();
  const grafana = getConfig().AUTHWATCH_GRAFANA_URL;
  const grafanaUrl = grafana ? `${grafana.replace(/\/$/, '')}/d/authwatch-security?${new URLSearchParams({ from: String(range.from), to: String(range.to) })}` : null;
  return <OverviewLive initial={stats} query={query} preset={range.preset} kiosk={params.kiosk === '1'} emptyHint={firstEventCommand(baseUrl)} grafanaUrl={grafanaUrl} />;
}
