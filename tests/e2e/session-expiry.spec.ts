import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { watchCspViolations } from './csp-watch';

/** A session idle past AUTHWATCH_SESSION_IDLE (3 s here) sends its user back to /login, which says why. */
const EMAIL = 'carol@example.com';
const PASSWORD = 'meadow-copper-falcon-58';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ env: { AUTHWATCH_SESSION_IDLE: '3s' } });
  const cli = spawnSync(process.execPath, ['bin/authwatch.js', 'users', 'add', EMAIL, '--role', 'MANAGER', '--password-stdin'], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', AUTHWATCH_DB: server.dbFile },
    input: `${PASSWORD}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(cli.status, cli.stderr).toBe(0);
  expect(cli.stdout).toBe('');
});
test.afterAll(async () => server?.dispose());

test('an idle session ends and the next page load goes to /login', async ({ page }) => {
  const violations = watchCspViolations(page);
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /^Account:/ })).toContainText('MANAGER');

  await page.waitForTimeout(4_000);
  await page.reload();
  await expect(page).toHaveURL(/\/login\?expired=1$/);
  await expect(page.getByText('Your session has ended. Sign in again to continue.')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('expired.png') });
  expect(violations).toEqual([]);
});
