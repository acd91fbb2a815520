import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { watchCspViolations } from './csp-watch';

/**
 * The policy is enforced, not only sent, and the watcher the other tests rely
 * on sees a violation when there is one: an injected inline script is blocked
 * and reported, while the page's own (nonce-carrying) scripts run.
 */
let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => server?.dispose());

test('injected markup cannot run script and is reported; the page’s own scripts run', async ({ page }) => {
  const violations = watchCspViolations(page);
  // As if an attacker had got markup into the page: an inline script and an inline handler, without the nonce.
  await page.route('**/login', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      '</body>',
      '<script>window.__injected = true;</script><img src="/x.png" onerror="window.__handler = true"></body>',
    );
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${server.url}/login`);
  // Hydrated: the form handles submission itself (React attached its handler).
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /./ }).first()).toBeVisible();

  const ran = await page.evaluate(() => {
    const flags = window as unknown as { __injected?: boolean; __handler?: boolean };
    return [flags.__injected, flags.__handler];
  });
  expect(ran).toEqual([undefined, undefined]);
  await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
  expect(violations.join('\n')).toMatch(/script-src/);
});
