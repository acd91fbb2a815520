import { expect, test, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { watchCspViolations } from './csp-watch';
import { addPerson, ingest, ingestKey, shoot, signInAs } from './dashboard-helpers';

/**
 * Markup in every string field of stored events renders as text on every
 * page: no dialog opens, no script runs, and the payload reads as sent.
 */
const PAYLOADS = ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>', '"><svg onload=alert(3)>', 'javascript:alert(4)', '\u202Eevil\u202C\u2066bidi\u2069'];
const PAYLOAD = PAYLOADS.join(' ');
const ADMIN = { email: 'ada@example.com', password: 'lantern-walnut-ember-38' };

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
  addPerson(server.dbFile, ADMIN.email, 'ADMIN', ADMIN.password);
  const key = ingestKey(server.dbFile, 'gateway');
  const now = Date.now();
  const events = Array.from({ length: 12 }, (_, i) => ({
    id: `${PAYLOAD}-${i}`.slice(0, 128),
    time: new Date(now - 60_000 + i * 1000).toISOString(),
    type: 'login.failure',
    reason: 'bad_credentials',
    source: { ip: '198.51.100.66', user_agent: PAYLOAD },
    actor: { username: PAYLOAD, subject: PAYLOAD, client_id: PAYLOAD },
    target: { method: 'POST', path: `/login/${PAYLOAD}`, service: PAYLOAD },
    token: { jti: PAYLOAD, kid: PAYLOAD, issuer: PAYLOAD },
    tls: { client_subject: PAYLOAD },
    trace_id: PAYLOAD.slice(0, 64),
    attributes: { note: PAYLOAD },
  }));
  await ingest(server.url, key, events);
});
test.afterAll(async () => server?.dispose());

async function visit(page: Page, path: string, name: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await shoot(page, name);
}

test('script payloads in every string field render as text on every page', async ({ page }) => {
  const violations = watchCspViolations(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    (window as unknown as { __ran: boolean }).__ran = false;
    window.alert = () => {
      (window as unknown as { __ran: boolean }).__ran = true;
    };
  });
  await signInAs(page, server.url, ADMIN.email, ADMIN.password);

  await visit(page, '/?range=1h', 'payload-overview');
  await expect(page.getByTestId('top-username')).toContainText(PAYLOADS[0]);
  expect(await page.getByTestId('top-username').innerText()).toContain(PAYLOADS[4]);
  await expect(page.getByTestId('top-client_id')).toContainText(PAYLOADS[2]);

  await visit(page, '/events?range=1h&service=gateway', 'payload-explorer');
  const first = page.getByTestId('events').locator('tbody tr').first();
  await expect(first).toContainText(PAYLOADS[1]);
  expect(await first.innerText()).toContain(PAYLOADS[4]);

  // A filter chip holding the payload, as a link from the table adds it.
  await first.getByRole('link', { name: `${PAYLOAD}`, exact: true }).first().click();
  await expect(page.getByRole('list', { name: 'Filters' })).toContainText(PAYLOADS[0]);
  await expect(page.getByTestId('events').locator('tbody tr')).toHaveCount(12);

  await page.getByTestId('events').locator('tbody tr').first().getByRole('link', { name: /^Event \d+$/ }).click();
  await expect(page.getByRole('heading', { name: /^Event #\d+/ })).toBeVisible();
  const fields = page.getByTestId('event-fields');
  for (const path of ['actor.username', 'actor.subject', 'actor.client_id', 'source.user_agent', 'token.jti', 'token.kid', 'tls.client_subject', 'attributes.note']) {
    expect(await fields.getByRole('row', { name: new RegExp(`^${path.replace('.', '\\.')} `) }).innerText()).toContain(PAYLOAD);
  }
  await shoot(page, 'payload-detail');

  await expect(async () => {
    await page.goto(`${server.url}/alerts`);
    await expect(page.getByTestId('alerts')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await shoot(page, 'payload-alerts');
  await page.getByTestId('alerts').getByRole('link').first().click();
  await expect(page.getByTestId('alert-summary')).toBeVisible();
  await shoot(page, 'payload-alert-detail');

  expect(await page.evaluate(() => (window as unknown as { __ran: boolean }).__ran)).toBe(false);
  expect(dialogs).toEqual([]);
  expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
  expect(violations).toEqual([]);
});
