import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../helpers/events';
import { ingestResult, postEvents } from '../helpers/http';
import { freePort, waitFor } from '../helpers/observability';
import { provisionService, withStore } from '../helpers/provision';
import { makeTempDir, startServer, type RunningServer } from '../helpers/server';

type AmAlert = { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string }; generatorURL: string };

/** Debian's Alertmanager on 127.0.0.1, in a process group of its own, with no cluster and a receiver that drops everything. */
async function startAlertmanager(port: number, dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const config = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(config, 'route:\n  receiver: drop\n  group_wait: 0s\nreceivers:\n  - name: drop\n');
  const child: ChildProcess = spawn(
    'prometheus-alertmanager',
    [`--config.file=${config}`, `--storage.path=${path.join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { detached: true, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor('alertmanager ready', 20_000, async () => ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined));
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(-child.pid!, 'SIGTERM');
      }),
  };
}

async function alertsIn(url: string): Promise<AmAlert[]> {
  const response = await fetch(`${url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`);
  return (await response.json()) as AmAlert[];
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('alerts pushed to a real Alertmanager', () => {
  it('arrive with their labels, resolve, and catch up after Alertmanager was down while ingest went on', async () => {
    const dir = makeTempDir();
    const port = await freePort();
    let alertmanager = await startAlertmanager(port, dir);
    cleanups.push(() => alertmanager.stop());
    const server: RunningServer = await startServer({ env: { AUTHWATCH_ALERTMANAGER_URL: alertmanager.url } });
    cleanups.push(() => server.dispose());
    const gateway = provisionService(server.dbFile, 'gateway');
    const attack = (ip: string) =>
      postEvents(server.url, Array.from({ length: 10 }, (_, i) => makeEvent({ source: { ip }, actor: { username: `u${i}` } })), { key: gateway.key });

    ingestResult(await attack('198.51.100.7'));
    const firing = await waitFor('the alert in Alertmanager', 15_000, async () =>
      (await alertsIn(alertmanager.url)).find((alert) => alert.labels.rule === 'brute_force_ip'),
    );
    expect(firing.labels).toMatchObject({ alertname: 'brute_force_ip', severity: 'high', service: 'gateway', authwatch_alert_id: expect.any(String) });
    expect(firing.annotations.summary).toContain('198.51.100.7');
    expect(firing.generatorURL).toMatch(/\/alerts\/\d+$/);

    // A person resolves it (the same verb PATCH /api/v1/alerts/{id} calls); Alertmanager hears of it.
    withStore(server.dbFile, (store) =>
      store.changeAlert(Number(firing.labels.authwatch_alert_id), (alert) => ({
        alert: { ...alert, status: 'resolved', resolvedAt: Date.now(), updatedAt: Date.now() },
        entry: { actor: 'test', action: 'resolved' },
        notify: { kind: 'resolved', targets: ['alertmanager'] },
      })),
    );
    await waitFor('the resolution in Alertmanager', 15_000, async () =>
      (await alertsIn(alertmanager.url)).some((alert) => alert.labels.rule === 'brute_force_ip') ? undefined : true,
    );

    // Alertmanager goes away: ingest goes on, acknowledged as before, and nothing is lost.
    await alertmanager.stop();
    const started = Date.now();
    for (let round = 0; round < 20; round++) ingestResult(await postEvents(server.url, [makeEvent({ type: 'login.success', reason: undefined })], { key: gateway.key }));
    ingestResult(await attack('198.51.100.8'));
    expect(Date.now() - started).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    alertmanager = await startAlertmanager(port, dir);
    const caughtUp = await waitFor('the alert raised while Alertmanager was down', 30_000, async () =>
      (await alertsIn(alertmanager.url)).find((alert) => alert.labels.rule === 'brute_force_ip' && alert.annotations.summary?.includes('198.51.100.8')),
    );
    expect(caughtUp.labels.rule).toBe('brute_force_ip');
  });
});
