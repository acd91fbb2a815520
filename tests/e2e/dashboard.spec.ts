import { expect, test, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { watchCspViolations } from './csp-watch';
import { addPerson, ingest, ingestKey, shoot, signInAs } from './dashboard-helpers';

/**
 * The dashboard against the production build with a known set of events: the
 * overview's tiles and top lists, the drill-down into the explorer, its
 * pages, the detail view and both exports.
 */
const MANAGER = { email: 'mia@example.com', password: 'orchard-pelican-silver-62' };
const ATTACKER = '203.0.113.66';
const SECOND = 1000;

let server: RunningServer;
let key: string;

function at(secondsAgo: number): string {
  return new Date(Date.now() - secondsAgo * SECOND).toISOString();
}

/** 12 failed logins from ATTACKER, 3 expired tokens, 2 access denials, 1 rate limit, 150 granted accesses: 168 events in the last half hour. */
function knownEvents(): object[] {
  const events: object[] = [];
  for (let i = 0; i < 12; i++) events.push({ id: `fail-${i}`, time: at(600 + i), type: 'login.failure', reason: 'bad_credentials', source: { ip: ATTACKER }, actor: { username: `victim${i % 3}` } });
  for (let i = 0; i < 3; i++) events.push({ id: `tok-${i}`, time: at(500 + i), type: 'token.rejected', reason: 'expired', source: { ip: '198.51.100.7' }, actor: { client_id: 'mobile-app' } });
  for (let i = 0; i < 2; i++) events.push({ id: `deny-${i}`, time: at(400 + i), type: 'access.denied', reason: 'insufficient_scope', source: { ip: '198.51.100.8' } });
  events.push({ id: 'rate-0', time: at(300), type: 'rate_limit.exceeded', reason: 'per_ip', source: { ip: '198.51.100.9' } });
  for (let i = 0; i < 150; i++) events.push({ id: `ok-${i}`, time: at(700 + i * 5), type: 'access.granted', source: { ip: '192.0.2.10' }, actor: { username: 'carol' }, target: { method: 'GET', path: '/api/orders' } });
  return events;
}

test.beforeAll(async () => {
  server = await startServer({ env: { AUTHWATCH_GRAFANA_URL: 'http://127.0.0.1:3001/' } });
  addPerson(server.dbFile, MANAGER.email, 'MANAGER', MANAGER.password);
  key = ingestKey(server.dbFile, 'gateway');
  await ingest(server.url, key, knownEvents());
});
test.afterAll(async () => server?.dispose());

async function tile(page: Page, label: string): Promise<string | null> {
  return page.getByTestId(`kpi-${label}`).getByTestId('kpi-value').textContent();
}

test('overview tiles count the known events; a top-IP row drills into the filtered explorer', async ({ page }) => {
  const violations = watchCspViolations(page);
  page.on('dialog', () => {
    throw new Error('a dialog opened');
  });
  await signInAs(page, server.url, MANAGER.email, MANAGER.password);
  await page.goto(`${server.url}/?range=1h`);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  expect(await tile(page, 'Failed logins')).toBe('12');
  expect(await tile(page, 'Invalid tokens')).toBe('3');
  expect(await tile(page, 'Access denied')).toBe('2');
  expect(await tile(page, 'Rate limited')).toBe('1');
  expect(await tile(page, 'mTLS rejections')).toBe('0');
  await expect(page.getByTestId('kpi-Failed logins')).toContainText('↑ new');
  await expect(page.getByTestId('reasons').getByRole('row', { name: /bad_credentials/ })).toContainText('12');
  await expect(page.getByTestId('series-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open in Grafana (same range)' })).toHaveAttribute('href', /^http:\/\/127\.0\.0\.1:3001\/d\/authwatch-security\?from=\d+&to=\d+$/);
  await shoot(page, 'overview');

  const topIps = page.getByTestId('top-ip');
  await expect(topIps.getByRole('row').nth(1)).toContainText(ATTACKER);
  await expect(topIps.getByRole('row').nth(1)).toContainText('12');
  await topIps.getByRole('link', { name: ATTACKER }).click();
  await expect(page).toHaveURL(/\/events\?ip=203\.0\.113\.66&from=/);
  await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Filters' })).toContainText(`ip: ${ATTACKER}`);
  const rows = page.getByTestId('events').locator('tbody tr');
  await expect(rows).toHaveCount(12);
  for (const text of await rows.allInnerTexts()) expect(text).toContain(ATTACKER);
  await shoot(page, 'explorer-ip');

  // Removing the chip brings back every event.
  await page.getByRole('link', { name: `Remove filter ip: ${ATTACKER}` }).click();
  await expect(page).not.toHaveURL(/ip=/);
  await page.goBack();
  await expect(page).toHaveURL(/ip=203\.0\.113\.66/);

  // The kiosk view hides the navigation and keeps the tiles.
  await page.goto(`${server.url}/?range=1h&kiosk=1`);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  expect(await tile(page, 'Failed logins')).toBe('12');
  await shoot(page, 'overview-kiosk');
  expect(violations).toEqual([]);
});

test('the explorer pages by cursor, opens an event and exports the filtered set', async ({ page }) => {
  await signInAs(page, server.url, MANAGER.email, MANAGER.password);
  await page.goto(`${server.url}/events?range=1h&service=gateway`);
  const rows = page.getByTestId('events').locator('tbody tr');
  await expect(rows).toHaveCount(100);
  const firstPage = await rows.locator('td:last-child').allInnerTexts();
  await page.getByRole('link', { name: 'Older →' }).click();
  await expect(rows).toHaveCount(68);
  const secondPage = await rows.locator('td:last-child').allInnerTexts();
  const seqs = [...firstPage, ...secondPage].map((text) => Number(text.replace('#', '')));
  expect(new Set(seqs).size).toBe(168);
  await expect(page.getByRole('link', { name: 'Older →' })).toHaveCount(0);
  await shoot(page, 'explorer-page-2');

  // A filter from a row's value, then the detail of one event and its pivot.
  await page.goto(`${server.url}/events?type=token.rejected`);
  await expect(rows).toHaveCount(3);
  await rows.first().getByRole('link', { name: /^Event \d+$/ }).click();
  await expect(page.getByRole('heading', { name: /^Event #\d+/ })).toBeVisible();
  const fields = page.getByTestId('event-fields');
  await expect(fields.getByRole('row', { name: /^source\.ip/ })).toContainText('198.51.100.7');
  await expect(fields.getByRole('row', { name: /^reason/ })).toContainText('expired');
  await expect(fields.getByRole('row', { name: /^actor\.client_id/ })).toContainText('mobile-app');
  await shoot(page, 'event-detail');
  await page.getByRole('link', { name: /everything else this IP did/ }).click();
  await expect(rows).toHaveCount(3);

  // Exports: the same filter, CSV with a header and NDJSON, fetched with the session.
  const csv = await page.request.get(`${server.url}/api/v1/events/export?format=csv&ip=${ATTACKER}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(csv.headers()['x-authwatch-row-cap']).toBe('100000');
  const lines = (await csv.text()).trimEnd().split('\r\n');
  expect(lines[0]).toBe('seq,id,time,received_at,service,type,reason,ip,username,subject,client_id,jti,event');
  expect(lines).toHaveLength(13);
  for (const line of lines.slice(1)) expect(line).toContain(`,gateway,login.failure,bad_credentials,${ATTACKER},victim`);
  const ndjson = await page.request.get(`${server.url}/api/v1/events/export?format=ndjson&type=access.denied&type=rate_limit.exceeded`);
  const records = (await ndjson.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; id: string });
  expect(records.map((record) => record.id).sort()).toEqual(['deny-0', 'deny-1', 'rate-0']);
  const refused = await page.request.get(`${server.url}/api/v1/events/export?format=xlsx`);
  expect(refused.status()).toBe(400);
});

test('the alerts page shows the brute-force alert; a MANAGER acknowledges it, a USER sees no button', async ({ page }) => {
  const violations = watchCspViolations(page);
  await signInAs(page, server.url, MANAGER.email, MANAGER.password);
  let alertId = 0;
  await expect(async () => {
    const reply = await page.request.get(`${server.url}/api/v1/alerts?rule=brute_force_ip`);
    const body = (await reply.json()) as { alerts: Array<{ id: number; key: { ip?: string } }> };
    const alert = body.alerts.find((each) => each.key.ip === ATTACKER);
    expect(alert).toBeDefined();
    alertId = alert!.id;
  }).toPass({ timeout: 20_000 });

  await page.goto(`${server.url}/alerts`);
  const row = page.getByTestId('alerts').getByRole('row').filter({ hasText: ATTACKER });
  await expect(row).toContainText('high');
  await expect(row).toContainText('open');
  await expect(page.getByRole('link', { name: /^open \(\d+\)$/ })).toBeVisible();
  await shoot(page, 'alerts');
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${alertId}$`));
  await expect(page.getByTestId('alert-summary')).toContainText(ATTACKER);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByTestId('alert-history')).toContainText(`${MANAGER.email}: acknowledged`);
  await page.getByLabel('Note', { exact: true }).fill('looking into it');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('alert-history')).toContainText('looking into it');
  await shoot(page, 'alert-detail-manager');
  const stored = (await (await page.request.get(`${server.url}/api/v1/alerts/${alertId}`)).json()) as { status: string };
  expect(stored.status).toBe('acknowledged');

  // A USER reads the alert but gets no button, and the API refuses the change.
  addPerson(server.dbFile, 'uma@example.com', 'USER', 'thistle-harbor-quartz-19');
  await signInAs(page, server.url, 'uma@example.com', 'thistle-harbor-quartz-19');
  await page.goto(`${server.url}/alerts/${alertId}`);
  await expect(page.getByTestId('alert-summary')).toContainText(ATTACKER);
  await expect(page.getByRole('button', { name: /Acknowledge|Resolve|Reopen|Add note/ })).toHaveCount(0);
  const refused = await page.request.patch(`${server.url}/api/v1/alerts/${alertId}`, { data: { status: 'resolved' }, headers: { origin: server.url } });
  expect(refused.status()).toBe(403);
  await shoot(page, 'alert-detail-user');
  expect(violations).toEqual([]);
});

test('rules show their state and a MANAGER backtests a change; services show rate, failures and their last event', async ({ page }) => {
  const violations = watchCspViolations(page);
  await signInAs(page, server.url, MANAGER.email, MANAGER.password);
  await page.goto(`${server.url}/rules`);
  const rule = page.getByTestId('rule-brute_force_ip');
  await expect(rule).toContainText('enabled');
  await expect(rule).toContainText(/ATT&CK T\d+/);
  await expect(rule).toContainText(/[1-9]\d* alert\(s\) opened in the last 7 days/);
  const editor = rule.getByLabel('Parameters (JSON)');
  const params = JSON.parse(await editor.inputValue()) as { threshold: number };
  await editor.fill(JSON.stringify({ ...params, threshold: 1000 }));
  await rule.getByRole('button', { name: 'Backtest 7 days' }).click();
  await expect(rule.getByRole('status')).toContainText(/proposed 0 alert\(s\), current [1-9]\d* alert\(s\)/);
  await editor.fill(JSON.stringify({ ...params, threshold: 'many' }));
  await rule.getByRole('button', { name: 'Save' }).click();
  await expect(rule.getByRole('alert')).toContainText('threshold');
  await shoot(page, 'rules');

  await page.goto(`${server.url}/services`);
  const gateway = page.getByTestId('services').getByRole('row').filter({ has: page.getByRole('link', { name: 'gateway', exact: true }) });
  await expect(gateway).toContainText('168');
  await expect(gateway).toContainText(`${((18 / 168) * 100).toFixed(1)} %`);
  await expect(gateway).not.toContainText('silent');
  await shoot(page, 'services');
  expect(violations).toEqual([]);
});

test('live mode picks up a new event without a reload, and stops when paused', async ({ page }) => {
  await signInAs(page, server.url, MANAGER.email, MANAGER.password);
  await page.goto(`${server.url}/?range=1h`);
  expect(await tile(page, 'mTLS rejections')).toBe('0');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
  await ingest(server.url, key, [{ id: 'mtls-0', time: at(30), type: 'mtls.rejected', reason: 'untrusted_ca', source: { ip: '198.51.100.30' } }]);
  await page.waitForTimeout(12_000);
  expect(await tile(page, 'mTLS rejections')).toBe('0');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('kpi-mTLS rejections').getByTestId('kpi-value')).toHaveText('1', { timeout: 20_000 });
  await expect(page.getByTestId('kpi-mTLS rejections')).toContainText('↑ new');
});
