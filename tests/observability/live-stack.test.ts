import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent, type TestEvent } from '../helpers/events';
import { interpolate, loadDashboards, panelTargets } from '../helpers/grafana';
import { get, postEvents, type Reply } from '../helpers/http';
import { FAILURE_METRICS, promtoolCheck } from '../helpers/metrics';
import {
  freePort,
  instantQuery,
  prometheusApi,
  rangeQuery,
  readYaml,
  startObservability,
  waitFor,
  type RunningObservability,
} from '../helpers/observability';
import { provisionService, storedEvents, type Provisioned } from '../helpers/provision';
import { makeTempDir, startServer, type RunningServer } from '../helpers/server';

/**
 * The real thing: the production server with a metrics token, and
 * `npm run observability` (Debian's Prometheus and Alertmanager, scraping
 * every second) on this repository's files. A known set of events goes in, in
 * two phases a scrape apart so every rate has something to measure; then every
 * recording rule and every dashboard query must parse and return data from
 * Prometheus, and its counters must equal what was sent.
 */
const TOKEN = 'live-scrape-token-0123456789abcdef';
const SCRAPE = '1s';

type Planned = { service: 'gateway' | 'orders'; type: string; reason?: string; count: number; leaksAPassword?: boolean };
const PLAN: Planned[] = [
  { service: 'gateway', type: 'login.failure', reason: 'bad_credentials', count: 4 },
  { service: 'gateway', type: 'login.failure', reason: 'unknown_user', count: 2 },
  { service: 'gateway', type: 'token.rejected', reason: 'bad_signature', count: 2 },
  { service: 'gateway', type: 'token.rejected', reason: 'expired', count: 3 },
  { service: 'gateway', type: 'rate_limit.exceeded', reason: 'per_ip', count: 2 },
  { service: 'gateway', type: 'login.success', count: 4 },
  { service: 'orders', type: 'access.denied', reason: 'insufficient_scope', count: 3 },
  { service: 'orders', type: 'mtls.rejected', reason: 'identity_mismatch', count: 2 },
  { service: 'orders', type: 'mtls.rejected', reason: 'no_client_cert', count: 2 },
  { service: 'orders', type: 'token.rejected', reason: 'alg_not_allowed', count: 2 },
  { service: 'orders', type: 'login.success', count: 2, leaksAPassword: true },
];
/** Filled by authwatch's detection rules, which have not landed: until then these have no series at all. */
const ALERT_METRICS = ['authwatch_alerts_open', 'authwatch_alerts_fired_total'];

let server: RunningServer;
let stack: RunningObservability;
let stateDir: string;
let services: Record<string, Provisioned>;
let startedAt: number;
const replies: Reply[] = [];

function eventsOf(phase: 0 | 1, service: string): TestEvent[] {
  return PLAN.filter((planned) => planned.service === service).flatMap((planned) => {
    const firstHalf = Math.ceil(planned.count / 2);
    const count = phase === 0 ? firstHalf : planned.count - firstHalf;
    return Array.from({ length: count }, () =>
      makeEvent({
        type: planned.type,
        reason: planned.reason,
        ...(planned.leaksAPassword ? { attributes: { note: 'password=correct-horse-battery' } } : {}),
      }),
    );
  });
}

/** One phase: a batch per service (gateway's with one event of an unknown field), a request with no key, one with a bad key. */
async function sendPhase(phase: 0 | 1): Promise<void> {
  const gateway = [...eventsOf(phase, 'gateway'), makeEvent({ unexpected: true })];
  replies.push(await postEvents(server.url, gateway, { key: services.gateway.key }));
  replies.push(await postEvents(server.url, eventsOf(phase, 'orders'), { key: services.orders.key }));
  replies.push(await postEvents(server.url, makeEvent(), { key: null }));
  replies.push(await postEvents(server.url, makeEvent(), { key: 'aw_nonsense' }));
}

function acceptedUpTo(phase: 0 | 1): number {
  const phases: (0 | 1)[] = phase === 0 ? [0] : [0, 1];
  return phases.reduce<number>((sum, each) => sum + eventsOf(each, 'gateway').length + eventsOf(each, 'orders').length, 0);
}

async function scalar(expr: string): Promise<number | undefined> {
  const result = await instantQuery(stack.prometheusUrl, expr);
  return result.length === 1 ? Number(result[0].value[1]) : undefined;
}

async function waitForScrapedTotal(total: number): Promise<void> {
  await waitFor(`Prometheus to scrape ${total} stored events`, 30_000, async () =>
    (await scalar('sum(authwatch_events_total)')) === total ? true : undefined,
  );
}

beforeAll(async () => {
  server = await startServer({ env: { AUTHWATCH_METRICS_TOKEN: TOKEN, AUTHWATCH_LOG_LEVEL: 'warn' } });
  services = { gateway: provisionService(server.dbFile, 'gateway'), orders: provisionService(server.dbFile, 'orders') };
  stateDir = makeTempDir();
  startedAt = Date.now();
  stack = await startObservability({
    stateDir,
    authwatchUrl: server.url,
    metricsToken: TOKEN,
    scrapeInterval: SCRAPE,
    prometheusPort: await freePort(),
    alertmanagerPort: await freePort(),
  });
  // The zeroed series of both services are scraped before any event, so every counter has a starting sample.
  await waitFor('the zeroed series', 30_000, async () =>
    (await scalar('authwatch_invalid_tokens_total{service="orders",reason="alg_not_allowed"}')) === 0 ? true : undefined,
  );
  await sendPhase(0);
  await waitForScrapedTotal(acceptedUpTo(0));
  await sendPhase(1);
  await waitForScrapedTotal(acceptedUpTo(1));
  // Two more evaluations, so the recording rules have seen the second phase.
  const scrapedAt = Date.now();
  await waitFor('two rule evaluations after the last scrape', 15_000, async () => {
    const groups = await prometheusApi<{ groups: { lastEvaluation: string }[] }>(stack.prometheusUrl, '/api/v1/rules');
    return groups.groups.every((group) => Date.parse(group.lastEvaluation) > scrapedAt + 1_000) ? true : undefined;
  });
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
  await server?.dispose();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('Prometheus scraping a live authwatch through npm run observability', () => {
  it('prints where Prometheus and Alertmanager listen, on 127.0.0.1', () => {
    expect(stack.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.alertmanagerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.output()).toContain(`Scraping: ${server.url}/api/metrics every ${SCRAPE}, with AUTHWATCH_METRICS_TOKEN`);
    expect(stack.output()).not.toContain(TOKEN);
  });

  it('scrapes /api/metrics with the bearer token it reads from a private credentials file', async () => {
    const targets = await prometheusApi<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }[] }>(
      stack.prometheusUrl,
      '/api/v1/targets',
    );
    expect(targets.activeTargets.map((target) => [target.labels.job, target.scrapeUrl, target.health, target.lastError])).toEqual([
      ['authwatch', `${server.url}/api/metrics`, 'up', ''],
    ]);
    const tokenFile = path.join(stateDir, 'metrics-token');
    expect(fs.readFileSync(tokenFile, 'utf8')).toBe(TOKEN);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(stateDir, 'prometheus.yml'), 'utf8')).not.toContain(TOKEN);
  });

  it('holds counters equal to what was sent, per service and reason, type, rejection and status', async () => {
    for (const [type, metric] of Object.entries(FAILURE_METRICS)) {
      const expected = Object.fromEntries(
        PLAN.filter((planned) => planned.type === type).map((planned) => [`${planned.service}/${planned.reason}`, planned.count]),
      );
      const samples = await instantQuery(stack.prometheusUrl, `${metric} > 0`);
      const counted = Object.fromEntries(samples.map((sample) => [`${sample.metric.service}/${sample.metric.reason}`, Number(sample.value[1])]));
      expect(counted, metric).toEqual(expected);
    }

    const stored: Record<string, number> = {};
    for (const { service, type, count } of PLAN) stored[`${service}/${type}`] = (stored[`${service}/${type}`] ?? 0) + count;
    const events = await instantQuery(stack.prometheusUrl, 'authwatch_events_total > 0');
    expect(Object.fromEntries(events.map((sample) => [`${sample.metric.service}/${sample.metric.type}`, Number(sample.value[1])]))).toEqual(stored);

    const rejected = await instantQuery(stack.prometheusUrl, 'authwatch_ingest_rejected_total');
    expect(Object.fromEntries(rejected.map((sample) => [sample.metric.reason, Number(sample.value[1])]))).toEqual({
      auth_missing: 2,
      auth_invalid: 2,
      event_unknown_field: 2,
    });

    const requests = await instantQuery(stack.prometheusUrl, 'authwatch_ingest_request_duration_seconds_count');
    const statuses: Record<string, number> = {};
    for (const reply of replies) statuses[String(reply.status)] = (statuses[String(reply.status)] ?? 0) + 1;
    expect(Object.fromEntries(requests.map((sample) => [sample.metric.status, Number(sample.value[1])]))).toEqual(statuses);
    expect(statuses).toEqual({ 200: 4, 401: 4 });

    const redacted = storedEvents(server.dbFile, services.orders.serviceId).reduce((sum, event) => sum + event.redactions, 0);
    expect(redacted).toBeGreaterThanOrEqual(2);
    expect(await scalar('authwatch_ingest_redactions_total{service="orders"}')).toBe(redacted);
    expect(await scalar('authwatch_ingest_redactions_total{service="gateway"}')).toBe(0);
  });

  it('loads both rule files and evaluates every rule without an error', async () => {
    const { groups } = await prometheusApi<{ groups: { name: string; rules: { name: string; type: string; health: string; lastError?: string }[] }[] }>(
      stack.prometheusUrl,
      '/api/v1/rules',
    );
    expect(groups.map((group) => [group.name, group.rules.length]).sort()).toEqual([
      ['authwatch.alerts', 11],
      ['authwatch.rules', 20],
    ]);
    for (const rule of groups.flatMap((group) => group.rules)) {
      expect([rule.name, rule.health, rule.lastError ?? '']).toEqual([rule.name, 'ok', '']);
    }
  });

  it('evaluates every recording rule expression to data, and records it under its name', async () => {
    const rules = readYaml<{ groups: { rules: { record: string; expr: string; labels?: Record<string, string> }[] }[] }>(
      'prometheus/rules/authwatch-recording.rules.yml',
    ).groups.flatMap((group) => group.rules);
    expect(rules).toHaveLength(20);
    for (const rule of rules) {
      const evaluated = await instantQuery(stack.prometheusUrl, rule.expr);
      expect(evaluated.length, rule.expr).toBeGreaterThan(0);
      expect(evaluated.every((sample) => Number.isFinite(Number(sample.value[1]))), rule.expr).toBe(true);
      const selector = Object.entries(rule.labels ?? {}).map(([name, value]) => `${name}="${value}"`);
      const recorded = await instantQuery(stack.prometheusUrl, `${rule.record}{${selector.join(',')}}`);
      expect(recorded.length, rule.record).toBe(evaluated.length);
    }
    expect(await scalar('service:authwatch_failed_logins:rate5m{service="gateway"}')).toBeGreaterThan(0);
  });

  it("answers the dashboards' service variable query with the registered services", async () => {
    const values = await prometheusApi<string[]>(stack.prometheusUrl, '/api/v1/label/service/values', {
      'match[]': 'authwatch_events_total',
    });
    expect(values).toEqual(['gateway', 'orders']);
  });

  it('evaluates every panel target of every dashboard to data (alert panels: only while no alert series exists)', async () => {
    const end = Date.now() / 1000;
    const values = {
      services: ['gateway', 'orders'],
      range: `${Math.ceil(end - startedAt / 1000) + 5}s`,
      rateInterval: '1m',
      interval: SCRAPE,
    };
    const empty: string[] = [];
    const targets = panelTargets(loadDashboards());
    expect(targets.length).toBeGreaterThanOrEqual(19);
    for (const { dashboard, panel, target } of targets) {
      const expr = interpolate(target.expr, values);
      const label = `${dashboard} / ${panel.title} / ${target.refId}: ${expr}`;
      const series = target.instant
        ? (await instantQuery(stack.prometheusUrl, expr)).map((sample) => [sample.value])
        : (await rangeQuery(stack.prometheusUrl, expr, Math.floor(startedAt / 1000), Math.ceil(end))).map((matrix) => matrix.values);
      if (series.length > 0 && series.every((points) => points.length > 0)) continue;
      // No data is acceptable only for a query on alert metrics alone, while Prometheus has no series of them.
      const alertMetrics = ALERT_METRICS.filter((metric) => new RegExp(`\\b${metric}\\b`).test(expr));
      const withoutThem = ALERT_METRICS.reduce((rest, metric) => rest.replaceAll(metric, ''), expr);
      const others = withoutThem.match(/\b(authwatch_\w+|process_\w+|nodejs_\w+|[a-z_]+:[a-z_]+:\w+)/g);
      expect(alertMetrics.length > 0 && others === null, `no data from ${label}`).toBe(true);
      for (const metric of alertMetrics) {
        const existing = await prometheusApi<unknown[]>(stack.prometheusUrl, '/api/v1/series', { 'match[]': metric });
        expect(existing, `${metric} has series, so ${label} must return data`).toEqual([]);
      }
      empty.push(`${panel.title}/${target.refId}`);
    }
    // Detection raises alerts on the forged tokens and the impersonation sent above, so the
    // alert panels have data too.
    expect(empty).toEqual([]);
  });

  it('fires the forged-token and impersonation alerts and delivers them to Alertmanager', async () => {
    const expected = [
      'AuthwatchForgedTokens/gateway/critical',
      'AuthwatchForgedTokens/orders/critical',
      'AuthwatchMtlsImpersonation/orders/critical',
    ];
    const delivered = await waitFor('the alerts in Alertmanager', 60_000, async () => {
      const response = await fetch(`${stack.alertmanagerUrl}/api/v2/alerts`, { signal: AbortSignal.timeout(5_000) });
      const alerts = (await response.json()) as { labels: Record<string, string>; annotations: Record<string, string> }[];
      const names = alerts.map((alert) => `${alert.labels.alertname}/${alert.labels.service}/${alert.labels.severity}`).sort();
      return expected.every((name) => names.includes(name)) ? alerts : undefined;
    });
    const forged = delivered.find((alert) => alert.labels.alertname === 'AuthwatchForgedTokens' && alert.labels.service === 'gateway');
    expect(forged?.annotations.runbook_url).toMatch(/runbook\.md#authwatchforgedtokens$/);
    expect(forged?.annotations.summary).toBe('Forged or tampered tokens presented to gateway');
    const firing = await instantQuery(stack.prometheusUrl, 'ALERTS{alertstate="firing"}');
    const names = firing.map((sample) => `${sample.metric.alertname}/${sample.metric.service ?? sample.metric.rule}`).sort();
    expect(names.filter((name) => !name.startsWith('AuthwatchCriticalAlertsOpen/'))).toEqual([
      'AuthwatchForgedTokens/gateway',
      'AuthwatchForgedTokens/orders',
      'AuthwatchMtlsImpersonation/orders',
    ]);
    // authwatch's own detection opened a critical service_impersonation alert for the same events
    // (and, for the failures-then-success above, compromise_suspected).
    expect(names).toContain('AuthwatchCriticalAlertsOpen/service_impersonation');
  });

  it('serves an exposition promtool check metrics accepts as it is', async () => {
    const scrape = await get(server.url, '/api/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(scrape.status).toBe(200);
    const check = promtoolCheck(scrape.text);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it('stops Prometheus and Alertmanager and exits 0 on SIGINT', async () => {
    expect(await stack.signal('SIGINT')).toBe(0);
    await waitFor('the launcher process group to be gone', 15_000, async () => (stack.groupAlive() ? undefined : true));
    for (const url of [stack.prometheusUrl, stack.alertmanagerUrl]) {
      await expect(fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }
  });
});
