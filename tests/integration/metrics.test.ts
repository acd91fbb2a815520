import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPE_CODES, EVENT_TYPES, REASON_BY_CODE, EVENT_TYPE_BY_CODE } from '@/lib/events/catalog';
import { rejectionReasonOf } from '@/lib/errors';
import { makeEvent, makeEvents } from '../helpers/events';
import { errorCode, get, postEvents, type IngestResult, type Reply } from '../helpers/http';
import { FAILURE_METRICS, parsePrometheus, promtoolCheck, valueOf, type Sample } from '../helpers/metrics';
import { provisionService, withReader, type Provisioned } from '../helpers/provision';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let services: Provisioned[];
const posts: Reply[] = [];
let scrapeText: string;
let samples: Sample[];

/** Attacker-controlled values that must never become label values. */
const TAINTED = ['mallory.admin@example.com', '192.0.2.231', '/internal/billing/export', 'evil-agent/6.6'];

function tainted(overrides: Record<string, unknown>) {
  return makeEvent({
    source: { ip: TAINTED[1], user_agent: TAINTED[3] },
    actor: { username: TAINTED[0], subject: TAINTED[0] },
    target: { method: 'GET', path: TAINTED[2] },
    ...overrides,
  });
}

function mixedBatch() {
  return [
    ...makeEvents(3, { reason: 'bad_credentials' }),
    tainted({ type: 'login.failure', reason: 'unknown_user' }),
    tainted({ type: 'token.rejected', reason: 'expired' }),
    tainted({ type: 'token.rejected', reason: 'bad_signature' }),
    tainted({ type: 'access.denied', reason: 'insufficient_scope' }),
    tainted({ type: 'rate_limit.exceeded', reason: 'per_ip' }),
    tainted({ type: 'mtls.rejected', reason: 'identity_mismatch' }),
    tainted({ type: 'login.success', reason: undefined, attributes: { note: 'password=letmein123' } }),
    tainted({ type: 'token.issued', reason: undefined }),
    tainted({ unexpected: true }),
    tainted({ time: new Date(Date.now() + 3_600_000).toISOString() }),
  ];
}

async function post(key: string | null, body: unknown, contentType?: string): Promise<void> {
  posts.push(await postEvents(server.url, body, { key, contentType }));
}

beforeAll(async () => {
  server = await startServer();
  services = [provisionService(server.dbFile, 'gateway'), provisionService(server.dbFile, 'orders')];
  for (const service of services) {
    const batch = mixedBatch();
    await post(service.key, batch);
    await post(service.key, batch.slice(0, 5));
    await post(service.key, tainted({ type: 'login.failure', reason: 'mfa_failed' }));
  }
  await post(services[0].key, [tainted({ service: 'orders' })]);
  await post(null, makeEvent());
  await post('aw_nonsense', makeEvent());
  await post(services[1].key, '{"not json');
  await post(services[1].key, makeEvent(), 'text/plain');
  scrapeText = (await get(server.url, '/api/metrics')).text;
  samples = parsePrometheus(scrapeText);
});
afterAll(async () => server?.dispose());

describe('GET /api/metrics after a mixed sequence of ingests', () => {
  it('counts authwatch_events_total per service and type exactly as the database holds them', () => {
    withReader(server.dbFile, (reader) => {
      let total = 0;
      for (const { service, serviceId } of services) {
        for (const type of EVENT_TYPES) {
          const rows = reader.countEvents({ serviceIds: [serviceId], types: [EVENT_TYPE_CODES[type]] });
          total += rows;
          expect({ service, type, counted: valueOf(samples, 'authwatch_events_total', { service, type }) }).toEqual({
            service,
            type,
            counted: rows,
          });
        }
      }
      expect(total).toBe(2 * 12);
    });
  });

  it('counts each failure metric per service and reason exactly as the database holds them', () => {
    withReader(server.dbFile, (reader) => {
      for (const { service, serviceId } of services) {
        const expected = new Map<string, number>();
        for (const event of reader.listEvents({ serviceIds: [serviceId], limit: 10_000 }).events) {
          const metric = FAILURE_METRICS[EVENT_TYPE_BY_CODE.get(event.type) ?? ''];
          if (!metric || event.reason === null) continue;
          const key = `${metric}|${REASON_BY_CODE.get(event.reason)}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        const counted = new Map<string, number>();
        for (const sample of samples) {
          if (!Object.values(FAILURE_METRICS).includes(sample.name) || sample.labels.service !== service) continue;
          if (sample.value > 0) counted.set(`${sample.name}|${sample.labels.reason}`, sample.value);
        }
        expect(counted).toEqual(expected);
        expect(counted.get('authwatch_failed_logins_total|bad_credentials')).toBe(3);
      }
    });
  });

  it('counts every rejection by reason: refused requests once, rejected items each', () => {
    const expected = new Map<string, number>();
    const add = (code: string) => expected.set(rejectionReasonOf(code), (expected.get(rejectionReasonOf(code)) ?? 0) + 1);
    for (const reply of posts) {
      if (reply.status === 200) for (const item of (reply.json as IngestResult).rejected) add(item.error.code);
      else add(errorCode(reply) ?? 'missing code');
    }
    const counted = new Map(
      samples.filter((s) => s.name === 'authwatch_ingest_rejected_total').map((s) => [s.labels.reason, s.value]),
    );
    expect(counted).toEqual(expected);
    expect(counted.get('auth_missing')).toBe(1);
    expect(counted.get('event_unknown_field')).toBe(2);
  });

  it('counts redactions per service as the stored events record them', () => {
    withReader(server.dbFile, (reader) => {
      for (const { service, serviceId } of services) {
        const stored = reader.listEvents({ serviceIds: [serviceId], limit: 10_000 }).events.reduce((sum, event) => sum + event.redactions, 0);
        expect(stored).toBeGreaterThan(0);
        expect(valueOf(samples, 'authwatch_ingest_redactions_total', { service })).toBe(stored);
      }
    });
  });

  it('observes every ingest request in the duration histogram under its status', () => {
    const byStatus = new Map<string, number>();
    for (const reply of posts) byStatus.set(String(reply.status), (byStatus.get(String(reply.status)) ?? 0) + 1);
    for (const [status, count] of byStatus) {
      expect(valueOf(samples, 'authwatch_ingest_request_duration_seconds_count', { status })).toBe(count);
    }
  });

  it('never uses a username, IP, path or user agent as a label value', () => {
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    for (const value of TAINTED) expect(labelValues.filter((label) => label.includes(value))).toEqual([]);
    const serviceLabels = new Set(samples.flatMap((sample) => (sample.labels.service ? [sample.labels.service] : [])));
    expect([...serviceLabels].sort()).toEqual(['gateway', 'orders']);
  });

  it('exposes every metric of the contract with help text, alerts included before any has fired', () => {
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
      expect(scrapeText).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
    }
  });

  it('gives a registered service zero-valued series before its first event', async () => {
    provisionService(server.dbFile, 'quiet');
    const fresh = parsePrometheus((await get(server.url, '/api/metrics')).text);
    const quiet = fresh.filter((sample) => sample.labels.service === 'quiet');
    expect(quiet.find((s) => s.name === 'authwatch_failed_logins_total' && s.labels.reason === 'bad_credentials')?.value).toBe(0);
    expect(quiet.find((s) => s.name === 'authwatch_events_total' && s.labels.type === 'login.success')?.value).toBe(0);
  });

  it('passes promtool check metrics as served, without the _total-named gauges prom-client adds', () => {
    const check = promtoolCheck(scrapeText);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
    expect(scrapeText).not.toMatch(/^nodejs_active_[a-z_]*_total\b/m);
    expect(scrapeText).toMatch(/^nodejs_active_handles\{type="[A-Za-z]+"\} \d+$/m);
  });
});
