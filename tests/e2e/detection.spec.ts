import { expect, test } from '@playwright/test';
import { generateBenignTraffic } from '../helpers/benign-traffic';
import { startServer, type RunningServer } from '../helpers/server';
import { ATTACK_SERVICES, attackTraffic, type ExpectedAlert } from './attack-traffic';
import { watchCspViolations } from './csp-watch';
import { addPerson, cli, ingest, shoot, signInAs } from './dashboard-helpers';

/**
 * Every detection rule end to end, against the production build: attack
 * traffic for all thirteen rules and two hours of benign traffic go in through
 * POST /api/v1/events; exactly the expected alerts come out of GET
 * /api/v1/alerts (rule, key, severity, count, evidence from the attack's own
 * events), each is listed on /alerts and its page shows its key and evidence;
 * a MANAGER acknowledges and resolves one in Chromium. The MANAGER's own
 * sign-in, over the test server's plain HTTP, raises plaintext_http for
 * service `authwatch`, as it should.
 */
const MANAGER = { email: 'rosa@example.com', password: 'lantern-meadow-copper-48' };
const HOUR = 3_600_000;

type AlertView = { id: number; rule: string; title: string; severity: string; status: string; key: Record<string, string>; service: string | null; count: number; summary: string };
type AlertDetail = AlertView & { evidence: Array<{ seq: number; id: string }>; history: Array<{ actor: string; action: string }> };

let server: RunningServer;
let adminToken: string;
let expected: ExpectedAlert[];

const keyId = (rule: string, key: Record<string, string>) => `${rule} ${JSON.stringify(Object.entries(key).sort())}`;

async function api<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.ok, `${method} ${path}: ${response.status} ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

/** Registers a service through the API (as an ADMIN's automation would) and returns a new ingest key for it. */
async function serviceKey(name: string): Promise<string> {
  await api('POST', '/api/v1/services', { name });
  return (await api<{ key: string }>('POST', '/api/v1/keys', { service: name })).key;
}

async function allAlerts(): Promise<AlertView[]> {
  return (await api<{ alerts: AlertView[] }>('GET', '/api/v1/alerts?limit=100')).alerts;
}

// About 30 s in all on an idle machine; the limits leave room for a heavily loaded one (16 page visits took 3 min at load 18).
test.beforeAll(async () => {
  test.setTimeout(120_000);
  const now = Date.now();
  server = await startServer();
  addPerson(server.dbFile, MANAGER.email, 'MANAGER', MANAGER.password);
  adminToken = cli(server.dbFile, ['tokens', 'create', '--role', 'ADMIN', '--name', 'e2e-detection']);

  // Two hours of a small company's ordinary traffic, 5 to 3 hours ago, from its own five services.
  const benign = generateBenignTraffic({ start: now - 5 * HOUR, hours: 2, users: 60 });
  const benignServices = [...new Set(benign.map((item) => item.service))];
  expect(benignServices.filter((name) => (ATTACK_SERVICES as readonly string[]).includes(name))).toEqual([]);
  const keys = new Map<string, string>();
  for (const name of [...benignServices, ...ATTACK_SERVICES]) keys.set(name, await serviceKey(name));
  for (const name of benignServices) {
    await ingest(server.url, keys.get(name)!, benign.filter((item) => item.service === name).map((item) => item.event));
  }

  const traffic = attackTraffic(now);
  expected = traffic.expected;
  for (const attack of traffic.attacks) await ingest(server.url, keys.get(attack.service)!, attack.events);
});
test.afterAll(async () => server?.dispose());

test('attack traffic for each of the 13 rules raises exactly the expected alerts in the API; benign traffic raises none', async () => {
  const rules = new Set(expected.map((alert) => alert.rule));
  expect(rules.size).toBe(13);
  const want = expected.map((alert) => ({ at: keyId(alert.rule, alert.key), severity: alert.severity, count: alert.count, status: 'open' })).sort((a, b) => a.at.localeCompare(b.at));
  let alerts: AlertView[] = [];
  // Every event is stored before this runs; the engine evaluates them within a few steps.
  await expect(async () => {
    alerts = await allAlerts();
    const got = alerts.map((alert) => ({ at: keyId(alert.rule, alert.key), severity: alert.severity, count: alert.count, status: alert.status })).sort((a, b) => a.at.localeCompare(b.at));
    expect(got).toEqual(want);
  }).toPass({ timeout: 20_000 });

  for (const wanted of expected) {
    const alert = alerts.find((each) => keyId(each.rule, each.key) === keyId(wanted.rule, wanted.key))!;
    const detail = await api<AlertDetail>('GET', `/api/v1/alerts/${alert.id}`);
    expect(detail.evidence.length, `${wanted.rule} evidence`).toBeGreaterThan(0);
    for (const event of detail.evidence) expect(wanted.evidence.has(event.id), `${wanted.rule} evidence ${event.id}`).toBe(true);
    expect(detail.history.map((entry) => `${entry.actor}: ${entry.action}`)).toContain('detection: opened');
    if (wanted.summary) expect(detail.summary).toMatch(wanted.summary);
    else expect(detail.summary).not.toMatch(/likely key rotation/);
  }
});

test('each alert is listed on /alerts and its page shows its key and evidence; a MANAGER acknowledges and resolves one', async ({ page }) => {
  test.setTimeout(300_000);
  const violations = watchCspViolations(page);
  expect(await allAlerts()).toHaveLength(expected.length);
  await signInAs(page, server.url, MANAGER.email, MANAGER.password);
  // authwatch records its own sign-ins as events of service `authwatch`, and the rules cover them like
  // any other: this one came over plain HTTP (the test server has no TLS), which plaintext_http reports.
  let alerts: AlertView[] = [];
  await expect(async () => {
    alerts = await allAlerts();
    expect(alerts.filter((alert) => alert.rule === 'plaintext_http' && alert.key.service === 'authwatch')).toHaveLength(1);
  }).toPass({ timeout: 20_000 });
  expect(alerts).toHaveLength(expected.length + 1);
  await page.goto(`${server.url}/alerts`);
  const rows = page.getByTestId('alerts').locator('tbody tr');
  await expect(rows).toHaveCount(alerts.length);
  await shoot(page, 'alerts-every-rule');
  for (const alert of alerts) {
    const keyText = Object.entries(alert.key).map(([field, value]) => `${field}=${value}`).join(' ');
    const row = rows.filter({ hasText: keyText }).filter({ has: page.getByRole('link', { name: alert.title, exact: true }) });
    await expect(row, `${alert.rule} ${keyText}`).toHaveCount(1);
    await expect(row).toContainText(alert.severity);
    await expect(row).toContainText(String(alert.count));
  }

  for (const alert of alerts) {
    const detail = await api<AlertDetail>('GET', `/api/v1/alerts/${alert.id}`);
    await page.goto(`${server.url}/alerts/${alert.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Alert #${alert.id}: ${alert.title}`);
    await expect(page.getByTestId('alert-summary')).toHaveText(alert.summary);
    for (const [field, value] of Object.entries(alert.key)) {
      await expect(page.locator(`dt:text-is("${field}") + dd`)).toHaveText(value);
    }
    await expect(page.getByRole('heading', { name: `Evidence (${detail.evidence.length} events kept)` })).toBeVisible();
    for (const event of [detail.evidence[0], detail.evidence.at(-1)!]) {
      await expect(page.getByRole('link', { name: `event #${event.seq}`, exact: true })).toBeVisible();
    }
  }

  const compromise = alerts.find((alert) => alert.rule === 'compromise_suspected')!;
  await page.goto(`${server.url}/alerts/${compromise.id}`);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByTestId('alert-history')).toContainText(`${MANAGER.email}: acknowledged`);
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('alert-history')).toContainText(`${MANAGER.email}: resolved`);
  await shoot(page, 'alert-compromise-resolved');
  const resolved = await api<AlertDetail>('GET', `/api/v1/alerts/${compromise.id}`);
  expect(resolved.status).toBe('resolved');
  expect(violations).toEqual([]);
});
