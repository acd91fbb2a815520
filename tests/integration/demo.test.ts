import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SERVICES, type DemoService } from '@/demo/config';
import { PROJECT_ROOT } from '@/demo/launcher/authwatch-cli';
import { RULES } from '@/lib/detection/rule-catalog';
import { jsonLine, startGroup, type ProcessGroup } from '@/demo/launcher/process-group';
import type { ScenarioResult } from '@/demo/traffic/schedule';
import type { ReporterStats } from '@/lib/reporter';
import { call, createToken } from '../helpers/accounts';
import { get } from '../helpers/http';
import { parsePrometheus, valueOf, type Sample } from '../helpers/metrics';
import { freePort } from '../helpers/ports';
import { provisionService } from '../helpers/provision';
import { makeTempDir, startServer, type RunningServer } from '../helpers/server';
import { storedEventsOf } from '../helpers/stored-events';

/**
 * The demo, run for real on a temporary database: authwatch, the demo system
 * and its attacks. authwatch is stopped and restarted early on; the attacks
 * begin after that, so authwatch's counters (which start at zero in a new
 * process) see all of them, and the events the reporters held through the
 * outage must all be stored. Detection runs at PRODUCT.md's defaults: every
 * one of the thirteen rules must raise its alert on the demo's traffic.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SCENARIO_COUNT = 15;

type Alert = { rule: string; key: Record<string, string>; service: string; status: string; count: number };
type Run = {
  scenarios: Map<string, ScenarioResult>;
  reporters: Map<DemoService, ReporterStats>;
  samples: Sample[];
  alerts: Alert[];
  dbFile: string;
  ackLog: string;
};

/** The key each rule's alert must carry, given the demo's fixed addresses and accounts (token_replay's jti is erin's, read back). */
function expectedAlerts(replayedJti: string | undefined): [rule: string, key: Record<string, string>][] {
  return [
    ['brute_force_ip', { ip: '127.0.66.1' }],
    ['brute_force_user', { username: 'frank' }],
    ['slow_brute_force', { ip: '127.0.66.13' }],
    ['password_spraying', { ip: '127.0.66.2' }],
    ['compromise_suspected', { username: 'grace' }],
    ['token_forgery', { service: 'gateway' }],
    ['invalid_token_spike', { service: 'gateway' }],
    ['token_replay', { jti: replayedJti ?? 'no replayed token stored' }],
    ['privilege_probing', { subject: 'user-bob' }],
    ['api_abuse', { ip: '127.0.66.7' }],
    ['service_impersonation', { service: 'payments' }],
    ['long_lived_token', { service: 'auth-server' }],
    ['plaintext_http', { service: 'gateway' }],
  ];
}

const replayedJtiOf = (dbFile: string) =>
  storedEventsOf(dbFile, 'gateway').documents.find((event) => event.type === 'token.rejected' && event.reason === 'replayed')?.token?.jti;

const hasAlert = (alerts: Alert[], rule: string, key: Record<string, string>) =>
  alerts.some((alert) => alert.rule === rule && JSON.stringify(alert.key) === JSON.stringify(key));

async function alertsOf(url: string, token: string): Promise<Alert[]> {
  const reply = await call(url, 'GET', '/api/v1/alerts?limit=1000', { bearer: token });
  if (reply.status !== 200) throw new Error(`GET /api/v1/alerts: ${reply.status} ${reply.text}`);
  return (reply.json as { alerts: Alert[] }).alerts;
}

async function runDemoThroughARestart(): Promise<Run> {
  const directory = makeTempDir();
  const dbFile = path.join(directory, 'authwatch.db');
  const ackLog = path.join(directory, 'acknowledged.log');
  const env = { PORT: String(await freePort()) };
  let server: RunningServer = await startServer({ dbFile, env });
  cleanup.push(async () => fs.rmSync(directory, { recursive: true, force: true }));
  cleanup.push(() => server.dispose());
  // Through the lib verbs in this process, as the CLI does them (demo-command.test runs the CLI's path): a CLI start costs seconds on a busy machine.
  const keys = Object.fromEntries(DEMO_SERVICES.map((service) => [service, provisionService(dbFile, service).key]));

  const scenarios = new Map<string, ScenarioResult>();
  const reporters = new Map<DemoService, ReporterStats>();
  const system: ProcessGroup = startGroup(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DEMO_ACK_LOG: ackLog, DEMO_FIRST_ATTACK_DELAY_MS: '14000', DEMO_ATTACK_SPACING_MS: '1500', DEMO_LOCK_MS: '4000' },
    stdin: JSON.stringify({ authwatchUrl: server.url, keys }),
    onLine: (line) => {
      const record = jsonLine(line);
      if (record?.msg === 'scenario') scenarios.set(String(record.scenario), record as unknown as ScenarioResult);
      if (record?.msg === 'reporter') reporters.set(record.service as DemoService, record as unknown as ReporterStats);
    },
  });
  cleanup.push(() => system.stop('SIGKILL', 1_000));
  await system.waitForLine((line) => (jsonLine(line)?.msg === 'ready' ? true : undefined), 60_000);

  await sleep(3_000);
  await server.stop('SIGTERM');
  await sleep(4_000);
  server = await startServer({ dbFile, env });

  const deadline = Date.now() + 90_000;
  while (scenarios.size < SCENARIO_COUNT && Date.now() < deadline) await sleep(500);
  // The brute-forced account unlocks 4 s after it locked; give it and the last batches time.
  await sleep(5_000);
  expect(await system.stop('SIGTERM', 30_000)).toBe(0);
  const samples = parsePrometheus((await get(server.url, '/api/metrics')).text);

  // The detection engine reads what was stored every 250 ms: wait (bounded) for every rule's alert.
  const reader = createToken(dbFile, 'USER', 'demo-test').token;
  const expected = expectedAlerts(replayedJtiOf(dbFile));
  let alerts = await alertsOf(server.url, reader);
  for (let tries = 0; tries < 60 && !expected.every(([rule, key]) => hasAlert(alerts, rule, key)); tries++) {
    await sleep(250);
    alerts = await alertsOf(server.url, reader);
  }
  return { scenarios, reporters, samples, alerts, dbFile, ackLog };
}

describe('the demo', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runDemoThroughARestart();
  }, 240_000);

  it('runs every scenario through a restart of authwatch', () => {
    expect(run.scenarios.size).toBe(SCENARIO_COUNT);
    for (const result of run.scenarios.values()) expect(result.error, result.scenario).toBeUndefined();
  });

  it('has the real components refuse what the attackers tried, with the statuses HTTP gives them', () => {
    // On a mismatch the diff names the attempt: `label status`.
    const statuses = (scenario: string, label?: string) =>
      (run.scenarios.get(scenario)?.attempts ?? []).filter((attempt) => label === undefined || attempt.label === label).map((attempt) => attempt.status);
    const outcomes = (scenario: string) => (run.scenarios.get(scenario)?.attempts ?? []).map((attempt) => `${attempt.label} ${attempt.status}`);
    const all = (scenario: string, status: number) => outcomes(scenario).map((outcome) => outcome.replace(/\d+$/, String(status)));
    expect(statuses('slow_brute_force')).toHaveLength(105);
    expect(outcomes('slow_brute_force')).toEqual(all('slow_brute_force', 400));
    expect(statuses('brute_force')).toHaveLength(12);
    expect(outcomes('brute_force')).toEqual(all('brute_force', 400));
    expect(statuses('password_spraying')).toHaveLength(12);
    expect(outcomes('password_spraying')).toEqual(all('password_spraying', 400));
    expect(statuses('failures_then_success')).toEqual([...Array(6).fill(400), 200]);
    expect(outcomes('forged_tokens')).toEqual([
      'alg_none 401',
      'hs256_with_public_key 401',
      'tampered_payload 401',
      'attacker_key_unknown_kid 401',
      'attacker_key_real_kid 401',
      'garbage 401',
      'no_token 401',
      'other_audience 401',
      'real_token_own_rights 200',
    ]);
    expect(statuses('expired_token_storm')).toEqual(Array(60).fill(401));
    expect(outcomes('token_replay')).toEqual(['owner 200', 'replayed_elsewhere 401']);
    expect(statuses('privilege_probing')).toHaveLength(14);
    expect(outcomes('privilege_probing')).toEqual(all('privilege_probing', 403));
    expect(statuses('api_abuse', 'flood_one_ip')).toContain(429);
    expect(statuses('api_abuse', 'spread_one_client')).toContain(429);
    expect(outcomes('service_impersonation')).toEqual([
      'untrusted_ca 403',
      'cert_expired 403',
      'identity_mismatch 403',
      'wrong_purpose 403',
      'no_client_cert 403',
    ]);
    expect(statuses('long_lived_token')).toEqual([200, 200]);
    expect(statuses('plaintext_http')).toEqual([200]);
    expect(outcomes('revoked_token')).toEqual(['before_logout 200', 'logout 200', 'after_logout 401']);
    expect(outcomes('clock_skew')).toEqual(['skewed_node 401', 'healthy_node 200']);
    expect(outcomes('staging_token')).toEqual(['staging_token 401']);
  });

  it('counts every kind of event each scenario produces, with its reason, at the service that decided it', () => {
    const events = (service: string, type: string) => valueOf(run.samples, 'authwatch_events_total', { service, type });
    const byReason = (metric: string, service: string, reason: string) => valueOf(run.samples, `authwatch_${metric}_total`, { service, reason });
    const expected: [string, string][] = [
      ['auth-server', 'login.success'],
      ['auth-server', 'account.locked'],
      ['auth-server', 'account.unlocked'],
      ['auth-server', 'token.issued'],
      ['auth-server', 'token.refreshed'],
      ['auth-server', 'token.revoked'],
      ['gateway', 'access.granted'],
      ['orders', 'access.granted'],
      ['payments', 'access.granted'],
      ['customers', 'access.granted'],
    ];
    for (const [service, type] of expected) expect(events(service, type), `${service} ${type}`).toBeGreaterThan(0);
    for (const reason of ['bad_credentials', 'unknown_user', 'account_locked', 'account_disabled']) {
      expect(byReason('failed_logins', 'auth-server', reason), reason).toBeGreaterThan(0);
    }
    const rejections = ['alg_not_allowed', 'bad_signature', 'unknown_kid', 'malformed', 'missing', 'wrong_audience', 'replayed', 'revoked', 'not_yet_valid', 'wrong_issuer'];
    for (const reason of rejections) {
      expect(byReason('invalid_tokens', 'gateway', reason), reason).toBeGreaterThan(0);
    }
    expect(byReason('invalid_tokens', 'gateway', 'expired')).toBeGreaterThanOrEqual(60);
    expect(byReason('access_denied', 'gateway', 'missing_role')).toBeGreaterThanOrEqual(9);
    expect(byReason('access_denied', 'gateway', 'insufficient_scope')).toBeGreaterThan(0);
    expect(byReason('access_denied', 'payments', 'missing_role')).toBeGreaterThan(0);
    expect(byReason('rate_limited', 'gateway', 'per_ip')).toBeGreaterThan(0);
    expect(byReason('rate_limited', 'gateway', 'per_client')).toBeGreaterThan(0);
    for (const reason of ['untrusted_ca', 'cert_expired', 'identity_mismatch', 'no_client_cert', 'other']) {
      expect(byReason('mtls_rejections', 'payments', reason), reason).toBe(1);
    }
  });

  it('raises an alert for every rule, at the PRODUCT.md defaults, keyed by the attack that should trip it', () => {
    const expected = expectedAlerts(replayedJtiOf(run.dbFile));
    expect(expected.map(([rule]) => rule).sort()).toEqual(RULES.map((rule) => rule.id).sort());
    const missing = expected.filter(([rule, key]) => !hasAlert(run.alerts, rule, key)).map(([rule, key]) => `${rule} ${JSON.stringify(key)}`);
    const raised = [...new Set(run.alerts.map((alert) => `${alert.rule} ${JSON.stringify(alert.key)}`))].sort();
    expect(missing, `raised: ${raised.join('; ')}`).toEqual([]);
  });

  it('stores the long-lived token and the plaintext call as evidence', () => {
    const issued = storedEventsOf(run.dbFile, 'auth-server').documents.filter((event) => event.type === 'token.issued');
    const lifetimes = issued.map((event) => Number(event.token?.expires_at) - Number(event.token?.issued_at));
    expect(Math.max(...lifetimes)).toBe(30 * 86_400);
    const gateway = storedEventsOf(run.dbFile, 'gateway').documents;
    expect(gateway.some((event) => event.type === 'access.granted' && event.scheme === 'http')).toBe(true);
  });

  it('loses nothing: the reporters felt the outage, dropped nothing, and every id acknowledged to them is stored', () => {
    const acknowledged = new Map<string, Set<string>>();
    for (const line of fs.readFileSync(run.ackLog, 'utf8').split('\n').filter(Boolean)) {
      const [service, id] = line.split(' ');
      if (!acknowledged.has(service)) acknowledged.set(service, new Set());
      acknowledged.get(service)?.add(id);
    }
    let retries = 0;
    for (const service of DEMO_SERVICES) {
      const stats = run.reporters.get(service);
      expect(stats, service).toMatchObject({ pending: 0, dropped: { queue_full: 0, too_large: 0, unserialisable: 0, closed: 0, rejected: 0 } });
      expect(stats?.acknowledged, service).toBe(stats?.reported);
      retries += stats?.retries ?? 0;
      const ids = acknowledged.get(service) ?? new Set();
      expect(ids.size, service).toBe(stats?.reported);
      const stored = new Set(storedEventsOf(run.dbFile, service).events.map((event) => event.id));
      expect([...ids].filter((id) => !stored.has(id)), service).toEqual([]);
      expect(stored.size, service).toBe(ids.size);
    }
    expect(retries).toBeGreaterThan(0);
  });
});
