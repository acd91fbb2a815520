import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, PROJECT_ROOT, startObservability, waitFor } from '../helpers/observability';
import { makeTempDir } from '../helpers/server';

/** `npm run observability` without an authwatch to scrape, and with a bad setting; live-stack.test.ts covers the rest. */
const stateDir = makeTempDir();
afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

describe('npm run observability', () => {
  it('starts without authwatch running, says so, scrapes without a token, and stops cleanly on SIGTERM', async () => {
    const authwatchPort = await freePort();
    const stack = await startObservability({
      stateDir,
      authwatchUrl: `http://127.0.0.1:${authwatchPort}`,
      prometheusPort: await freePort(),
      alertmanagerPort: await freePort(),
    });
    try {
      expect(stack.output()).toContain(`authwatch does not answer at http://127.0.0.1:${authwatchPort} yet`);
      expect(stack.output()).toContain(`/api/metrics every 15s, without a token`);
      expect(fs.readFileSync(path.join(stateDir, 'metrics-token'), 'utf8')).toBe('');
      const ready = await fetch(`${stack.prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(5_000) });
      expect(ready.status).toBe(200);
      expect(await stack.signal('SIGTERM')).toBe(0);
      await waitFor('the launcher process group to be gone', 15_000, async () => (stack.groupAlive() ? undefined : true));
      await expect(fetch(`${stack.alertmanagerUrl}/-/ready`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    } finally {
      await stack.dispose();
    }
  });

  it('refuses an invalid setting before starting anything', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/observability.ts'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        AUTHWATCH_SCRAPE_INTERVAL: 'often',
        AUTHWATCH_OBSERVABILITY_DIR: path.join(stateDir, 'never'),
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('AUTHWATCH_SCRAPE_INTERVAL: a Prometheus duration such as 15s');
    expect(fs.existsSync(path.join(stateDir, 'never'))).toBe(false);
  });
});
