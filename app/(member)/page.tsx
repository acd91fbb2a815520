import { headers } from 'next/headers';
import { getConfig } from '@/lib/config';
import { requirePage } from '@/lib/http/page-access';
import { requestMeta } from '@/lib/http/request-meta';
import { requestContext } from '@/lib/request-context';
import { KPI_TYPES, overviewParts } from '@/lib/stats/overview-stats';
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

/**
 * `/`: KPI tiles, events by type, reasons, top lists and open alerts over the
 * chosen range, live. The role check comes first and is awaited (a 403 must be
 * decided before any byte streams); then each widget's queries start and the
 * page streams, a skeleton standing in for each widget until its part arrives.
 */
export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage('PAGE /');
  const params = await searchParams;
  const ctx = requestContext();
  const range = resolvePageRange(params, ctx.now);
  const span = { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  const query = new URLSearchParams(range.preset ? { range: range.preset } : span).toString();
  const baseUrl = requestMeta(await headers(), getConfig()).origin ?? defaultBaseUrl();
  const grafana = getConfig().AUTHWATCH_GRAFANA_URL;
  const grafanaUrl = grafana ? `${grafana.replace(/\/$/, '')}/d/authwatch-security?${new URLSearchParams({ from: String(range.from), to: String(range.to) })}` : null;
  const parts = overviewParts({ ctx, range });
  return (
    <OverviewLive
      parts={parts}
      range={span}
      query={query}
      preset={range.preset}
      kiosk={params.kiosk === '1'}
      emptyHint={firstEventCommand(baseUrl)}
      grafanaUrl={grafanaUrl}
      tileCount={KPI_TYPES.length}
    />
  );
}
