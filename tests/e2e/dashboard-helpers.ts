import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs the authwatch CLI on a server's database, as an operator would; returns its stdout. */
export function cli(dbFile: string, args: string[], input?: string): string {
  const run = spawnSync(process.execPath, ['bin/authwatch.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', AUTHWATCH_DB: dbFile },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

export function addPerson(dbFile: string, email: string, role: 'USER' | 'MANAGER' | 'ADMIN', password: string): void {
  cli(dbFile, ['users', 'add', email, '--role', role, '--password-stdin'], `${password}\n`);
}

/** Registers a service and returns a fresh ingest key for it. */
export function ingestKey(dbFile: string, service: string): string {
  cli(dbFile, ['services', 'add', service]);
  return cli(dbFile, ['keys', 'create', service]);
}

/** POSTs events with an ingest key and checks every one was stored. */
export async function ingest(url: string, key: string, events: readonly object[]): Promise<void> {
  for (let start = 0; start < events.length; start += 500) {
    const batch = events.slice(start, start + 500);
    const response = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    const body = (await response.json()) as { accepted: number };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.accepted).toBe(batch.length);
  }
}

export async function signInAs(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Hashing the password is most of a sign-in's work: on a busy machine it takes a while.
  await expect(page.getByRole('button', { name: `Account: ${email}` })).toBeVisible({ timeout: 30_000 });
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
