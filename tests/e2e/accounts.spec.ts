import { expect, test, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { watchCspViolations } from './csp-watch';

/**
 * A fresh install, as a person meets it: the first-run setup link creates the
 * first ADMIN, who invites a USER; the USER signs in, sees no admin page, and
 * signs out. Every page is checked for CSP violations and photographed.
 */
const ADMIN = { email: 'root@example.com', password: 'glacier-violet-tuesday-41' };
const USER = { email: 'bob@example.com', password: 'harbour-lantern-quietly-77' };

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => server?.dispose());

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

async function setPassword(page: Page, link: string, password: string) {
  await page.goto(link);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
}

test('first run to a signed-in USER who sees no admin page, with no CSP violation anywhere', async ({ page }) => {
  const violations = watchCspViolations(page);
  const line = await server.waitForLog((text) => text.includes('setupLink'));
  const firstRun = new URL(JSON.parse(line).setupLink as string);
  const link = `${server.url}/setup${firstRun.hash}`;

  // An anonymous visit goes to /login.
  await page.goto(`${server.url}/admin/users`);
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fusers$/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shoot(page, 'login');

  // The first-run link creates the first ADMIN, signed in at once; the token leaves the address bar.
  await setPassword(page, link, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible();
  expect(page.url()).toBe(`${server.url}/setup`);
  await shoot(page, 'setup');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: `Account: ${ADMIN.email}` })).toBeVisible();
  // A fresh install: the overview says how to send a first event, to this server's address.
  await expect(page.getByRole('heading', { name: 'No event from your services in this range' })).toBeVisible();
  await expect(page.locator('pre')).toContainText(`curl -sS ${server.url}/api/v1/events`);
  await expect(page.getByRole('button', { name: /^Account:/ })).toContainText('ADMIN');
  await shoot(page, 'overview-admin');

  // The ADMIN invites a USER and gets the one-time link.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Role', { exact: true }).selectOption('USER');
  await page.getByRole('button', { name: 'Invite' }).click();
  const invite = await page.getByRole('status').locator('output').textContent();
  expect(invite).toMatch(/\/setup#awl_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole('cell', { name: USER.email, exact: true })).toBeVisible();
  await shoot(page, 'admin-users');
  for (const [name, path] of [
    ['admin-keys', '/admin/keys'],
    ['admin-tokens', '/admin/tokens'],
    ['admin-audit', '/admin/audit'],
  ]) {
    await page.goto(`${server.url}${path}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await shoot(page, name);
  }
  await expect(page.getByRole('cell', { name: 'user.invited' })).toBeVisible();

  // The ADMIN signs out; the USER sets a password through the link, then signs out and back in.
  await page.getByRole('button', { name: /Account:/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await setPassword(page, new URL(invite as string, server.url).toString().replace(/^http:\/\/[^/]+/, server.url), USER.password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('button', { name: /^Account:/ })).toContainText('USER');
  await page.getByRole('button', { name: /Account:/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'not correct' })).toHaveText('The email or password is not correct.');
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: `Account: ${USER.email}` })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Account:/ })).toContainText('USER');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Overview', 'Events', 'Alerts', 'Rules', 'Services']);
  await expect(page.getByRole('heading', { name: 'Ingest keys' })).toHaveCount(0);
  await shoot(page, 'overview-user');

  // Admin pages answer 403 and show none of their content.
  for (const path of ['/admin/users', '/admin/keys', '/admin/tokens', '/admin/audit']) {
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
    await expect(page.getByText(ADMIN.email)).toHaveCount(0);
  }
  await shoot(page, 'forbidden');
  const missing = await page.goto(`${server.url}/no-such-page`);
  expect(missing?.status()).toBe(404);
  await shoot(page, 'not-found');

  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: /Account:/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(/\/login$/);

  expect(violations).toEqual([]);
});
