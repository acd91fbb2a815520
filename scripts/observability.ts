/**
 * `npm run observability`: Debian's Prometheus and Alertmanager on 127.0.0.1,
 * with prometheus/ (scrape job, recording and alerting rules, Alertmanager
 * routes) pointed at a local authwatch. Installs the packages when missing
 * (as root), prints the URLs, and stops both on SIGINT or SIGTERM.
 * Settings: scripts/observability/observability-config.ts (README, "Prometheus and Grafana").
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon, type Daemon } from './observability/daemon';
import { readObservabilitySettings } from './observability/observability-config';
import { PROMETHEUS_DIR, renderPrometheusConfig } from './observability/render-prometheus-config';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** scripts/ensure-system-packages.sh installs them as root, or says what to install. */
function ensurePackages(): void {
  if (onPath('prometheus') && onPath('prometheus-alertmanager')) return;
  const installed = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'ensure-system-packages.sh')], { stdio: 'inherit' });
  if (installed.status !== 0 || !onPath('prometheus') || !onPath('prometheus-alertmanager')) {
    throw new Error('Prometheus and Alertmanager are not installed (Debian packages prometheus, prometheus-alertmanager)');
  }
}

async function authwatchAnswers(url: URL): Promise<boolean> {
  return fetch(new URL('/api/health', url), { signal: AbortSignal.timeout(2_000) })
    .then((response) => response.ok)
    .catch(() => false);
}

const daemons: Daemon[] = [];
let stopping = false;

/** Stops what was started (each bounded), then exits; the first call wins. */
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(daemons.map((daemon) => daemon.stop(STOP_TIMEOUT_MS)));
  process.exit(code);
}

/** A daemon that exits on its own ends the run; a Ctrl-C reaches the daemons too, so give our handler a moment first. */
function watch(daemon: Daemon): void {
  void daemon.exited.then(async (code) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (stopping) return;
    process.stderr.write(`${daemon.name} exited with ${code}; see ${daemon.logFile}\n`);
    await stopAll(1);
  });
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0));
  const settings = readObservabilitySettings(process.env, process.cwd());
  ensurePackages();
  fs.mkdirSync(settings.stateDir, { recursive: true, mode: 0o700 });

  const tokenFile = path.join(settings.stateDir, 'metrics-token');
  fs.writeFileSync(tokenFile, settings.metricsToken ?? '', { mode: 0o600 });
  fs.chmodSync(tokenFile, 0o600);
  const configFile = path.join(settings.stateDir, 'prometheus.yml');
  const alertmanagerAddress = `127.0.0.1:${settings.alertmanagerPort}`;
  const rendered = renderPrometheusConfig({
    input: { authwatchUrl: settings.authwatchUrl, alertmanagerAddress, tokenFile, scrapeInterval: settings.scrapeInterval },
  });
  fs.writeFileSync(configFile, rendered.text);

  const prometheusUrl = `http://127.0.0.1:${settings.prometheusPort}`;
  const alertmanagerUrl = `http://${alertmanagerAddress}`;
  const alertmanager = startDaemon(
    'Alertmanager',
    'prometheus-alertmanager',
    [
      `--config.file=${path.join(PROMETHEUS_DIR, 'alertmanager.yml')}`,
      `--storage.path=${path.join(settings.stateDir, 'alertmanager')}`,
      `--web.listen-address=${alertmanagerAddress}`,
      `--web.external-url=${alertmanagerUrl}/`,
      '--cluster.listen-address=',
    ],
    path.join(settings.stateDir, 'alertmanager.log'),
  );
  daemons.push(alertmanager);
  const prometheus = startDaemon(
    'Prometheus',
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(settings.stateDir, 'prometheus')}`,
      `--web.listen-address=127.0.0.1:${settings.prometheusPort}`,
      `--web.external-url=${prometheusUrl}/`,
    ],
    path.join(settings.stateDir, 'prometheus.log'),
  );
  daemons.push(prometheus);
  daemons.forEach(watch);
  await Promise.all([
    alertmanager.waitReady(`${alertmanagerUrl}/-/ready`, READY_TIMEOUT_MS),
    prometheus.waitReady(`${prometheusUrl}/-/ready`, READY_TIMEOUT_MS),
  ]);
  if (stopping) return;

  const token = settings.metricsToken ? 'with AUTHWATCH_METRICS_TOKEN' : 'without a token';
  say(`Prometheus: ${prometheusUrl}`);
  say(`Alertmanager: ${alertmanagerUrl}`);
  say(`Scraping: ${new URL('/api/metrics', settings.authwatchUrl).href} every ${rendered.scrapeInterval}, ${token}`);
  say(`Logs: ${daemons.map((daemon) => daemon.logFile).join(', ')}`);
  if (!(await authwatchAnswers(settings.authwatchUrl))) {
    say(`authwatch does not answer at ${settings.authwatchUrl.origin} yet; Prometheus scrapes it once it does (npm start).`);
  }
  say('Press Ctrl-C to stop.');
}

main().catch(async (error: unknown) => {
  process.stderr.write(`observability: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll(1);
});
