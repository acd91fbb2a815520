import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASON_BY_CODE, EVENT_TYPE_BY_CODE } from '@/lib/events/catalog';
import { createServiceWithKey, loginFailure, postEvents, scrapeMetrics, withStore } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/server';

const FAILURE_COUNTERS: Record<string, string> = {
  'login.failure': 'authwatch_failed_logins_total',
  'token.rejected': 'authwatch_invalid_tokens_total',
  'access.denied': 'authwatch_access_denied_total',
  'rate_limit.exceeded': 'authwatch_rate_limited_total',
  'mtls.rejected': 'authwatch_mtls_rejections_total',
};

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('GET /api/metrics', () => {
  let server: RunningServer;
  let keys: Record<string, string>;

  beforeAll(async () => {
    server = await startServer({ env: { AUTHWATCH_METRICS_TOKEN: TOKEN } });
    keys = {
      gateway: createServiceWithKey(server.dbFile, 'gateway').key,
      orders: createServiceWithKey(server.dbFile, 'orders').key,
    };
  });

  afterAll(async () => {
    await server?.stop();
    server?.remove();
  });

  it('needs the bearer token when AUTHWATCH_METRICS_TOKEN is set', async () => {
    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/api/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(TOKEN);
    expect((await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('counts exactly the stored events after a mixed sequence with duplicates and rejects', async () => {
    const varied = [
      loginFailure({ actor: { username: 'mallory<script>' }, source: { ip: '192.0.2.66' }, target: { path: '/admin/secret-path' } }),
      loginFailure({ reason: 'unknown_user' }),
      loginFailure({ type: 'token.rejected', reason: 'bad_signature' }),
      loginFailure({ type: 'access.denied', reason: 'insufficient_scope' }),
      loginFailure({ type: 'rate_limit.exceeded', reason: 'per_ip' }),
      loginFailure({ type: 'mtls.rejected', reason: 'identity_mismatch' }),
      loginFailure({ type: 'token.issued', reason: undefined }),
    ];
    await postEvents(server.url, keys.gateway, varied);
    await postEvents(server.url, keys.gateway, varied.slice(0, 3));
    await postEvents(server.url, keys.orders, [loginFailure(), { bogus: true }, loginFailure({ service: 'gateway' })]);
    await Promise.all(Array.from({ length: 5 }, () => postEvents(server.url, keys.orders, varied[2])));

    const { samples } = await scrapeMetrics(server.url, TOKEN);
    const expected = new Map<string, number>();
    withStore(server.dbFile, (store) => {
      for (const service of store.listServices()) {
        for (const event of store.listEvents({ serviceId: service.id, limit: 10_000 })) {
          const type = EVENT_TYPE_BY_CODE.get(event.type)!;
          const typeKey = `authwatch_events_total{service="${service.name}",type="${type}"}`;
          expected.set(typeKey, (expected.get(typeKey) ?? 0) + 1);
          if (FAILURE_COUNTERS[type]) {
            const reasonKey = `${FAILURE_COUNTERS[type]}{service="${service.name}",reason="${REASON_BY_CODE.get(event.reason!)}"}`;
            expected.set(reasonKey, (expected.get(reasonKey) ?? 0) + 1);
          }
        }
      }
    });
    expect(expected.size).toBeGreaterThan(8);
    const counted = [...samples].filter(
      ([name, value]) => value > 0 && (name.startsWith('authwatch_events_total') || Object.values(FAILURE_COUNTERS).some((n) => name.startsWith(n))),
    );
    expect(new Map(counted)).toEqual(expected);
    expect(samples.get('authwatch_ingest_rejected_total{reason="event_unknown_field"}')).toBe(1);
    expect(samples.get('authwatch_ingest_rejected_total{reason="service_mismatch"}')).toBe(1);
  });

  it('never turns attacker-controlled strings into label values', async () => {
    const { text } = await scrapeMetrics(server.url, TOKEN);
    for (const forbidden of ['mallory', '192.0.2.66', '/admin/secret-path', 'alice', '198.51.100.7']) expect(text).not.toContain(forbidden);
  });

  it('gives every registered service zero-valued series before its first event', async () => {
    createServiceWithKey(server.dbFile, 'quiet-service');
    const { samples } = await scrapeMetrics(server.url, TOKEN);
    expect(samples.get('authwatch_failed_logins_total{service="quiet-service",reason="bad_credentials"}')).toBe(0);
    expect(samples.get('authwatch_events_total{service="quiet-service",type="login.success"}')).toBe(0);
  });

  it('exposes every metric of the contract with help text, and passes promtool check metrics', async () => {
    const { text } = await scrapeMetrics(server.url, TOKEN);
    for (const name of [
      'authwatch_failed_logins_total',
      'authwatch_invalid_tokens_total',
      'authwatch_access_denied_total',
      'authwatch_rate_limited_total',
      'authwatch_mtls_rejections_total',
      'authwatch_events_total',
      'authwatch_ingest_rejected_total',
      'authwatch_ingest_redactions_total',
      'authwatch_ingest_request_duration_seconds',
      'authwatch_alerts_fired_total',
      'authwatch_alerts_open',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
    }
    // prom-client's nodejs_active_*_total gauges trip promtool's counter-suffix lint upstream; only those are dropped.
    const ours = text
      .split('\n')
      .filter((line) => !/^(# (HELP|TYPE) )?nodejs_active_[a-z_]+_total\b/.test(line))
      .join('\n');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: ours, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
