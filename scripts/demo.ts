import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createAdminLink, keyLedger, PROJECT_ROOT, provisionServices } from '../demo/launcher/authwatch-cli';
import { describeReporter, describeScenario } from '../demo/launcher/describe';
import { jsonLine, startGroup, type ProcessGroup } from '../demo/launcher/process-group';
import type { ScenarioResult } from '../demo/traffic/schedule';
import type { ReporterStats } from '../lib/reporter';

/**
 * `npm run demo`: builds authwatch if needed, registers the demo's services and
 * ingest keys through the CLI, starts authwatch (`node server.js`, honouring
 * AUTHWATCH_DB and PORT) and the demo system, each in its own process group,
 * prints the dashboard URL and a one-time sign-in link for a demo ADMIN, and on
 * SIGINT/SIGTERM stops the demo system first (its reporters flush to a still
 * running authwatch), revokes the run's ingest keys, then stops authwatch.
 */
const say = (text: string) => process.stdout.write(`${text}\n`);
const note = (text: string) => process.stderr.write(`demo: ${text}\n`);

const port = process.env.PORT ?? '3000';
const database = path.resolve(process.env.AUTHWATCH_DB ?? path.join(PROJECT_ROOT, 'data', 'authwatch.db'));
const env: NodeJS.ProcessEnv = { ...process.env, AUTHWATCH_DB: database, NEXT_TELEMETRY_DISABLED: '1' };
const ledger = keyLedger(database);
const groups: { authwatch?: ProcessGroup; system?: ProcessGroup } = {};
let stopping = false;

async function revokeKeys(why: string): Promise<void> {
  const revoked = await ledger.revokeAll(env);
  if (revoked > 0) note(`revoked ${revoked} demo ingest key${revoked === 1 ? '' : 's'} ${why}`);
}

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    note('stopping…');
    // The demo system first: its reporters flush while authwatch still runs; then its keys are of no more use.
    await groups.system?.stop('SIGTERM', 15_000);
    await revokeKeys('(each run makes its own)').catch((error: unknown) => note(`could not revoke the demo's ingest keys: ${String(error)}`));
    await groups.authwatch?.stop('SIGTERM', 15_000);
    note('stopped');
  }
  process.exit(exitCode);
}

function ensureBuild(): void {
  const bundles = ['server-support.js', 'event-writer.js', 'event-preparer.js', 'event-reader.js', 'detection.js'];
  if (fs.existsSync(path.join(PROJECT_ROOT, '.next', 'BUILD_ID')) && bundles.every((bundle) => fs.existsSync(path.join(PROJECT_ROOT, '.next', 'authwatch', bundle)))) return;
  note('no production build yet: running npm run build (once)');
  const built = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', process.stderr, process.stderr] });
  if (built.status !== 0) throw new Error('npm run build failed');
}

function startAuthwatch(): ProcessGroup {
  return startGroup(process.execPath, ['server.js'], {
    cwd: PROJECT_ROOT,
    env: { ...env, NODE_ENV: 'production', PORT: port, HOSTNAME: '127.0.0.1', AUTHWATCH_LOG_LEVEL: process.env.AUTHWATCH_LOG_LEVEL ?? 'warn' },
    onLine: (line) => {
      const record = jsonLine(line);
      if (!record || record.level === 'warn' || record.level === 'error') process.stderr.write(`authwatch: ${line}\n`);
    },
  });
}

function startSystem(authwatchUrl: string, keys: Record<string, string>): ProcessGroup {
  return startGroup(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...env, DEMO_CA_FILE: path.join(path.dirname(database), 'demo-ca.pem') },
    stdin: JSON.stringify({ authwatchUrl, keys }),
    onLine: (line, stream) => {
      const record = jsonLine(line);
      if (stream === 'stderr') process.stderr.write(`demo system: ${line}\n`);
      else if (record?.msg === 'scenario') say(describeScenario(record as unknown as ScenarioResult));
      else if (record?.msg === 'reporter') note(describeReporter(record as unknown as ReporterStats & { service: string }));
    },
  });
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  ensureBuild();
  fs.mkdirSync(path.dirname(database), { recursive: true });
  await revokeKeys('left by a demo run that did not stop cleanly');
  note(`database ${database}; registering the demo's services and ingest keys`);
  const keys = await provisionServices(env);
  ledger.record(Object.values(keys));

  const authwatch = startAuthwatch();
  groups.authwatch = authwatch;
  const authwatchUrl = await authwatch.waitForLine((line) => {
    const record = jsonLine(line);
    return record?.msg === 'listening' ? String(record.url) : undefined;
  }, 60_000);
  const system = startSystem(authwatchUrl, keys);
  groups.system = system;
  const urls = await system.waitForLine((line) => {
    const record = jsonLine(line);
    return record?.msg === 'ready' ? (record as { gateway: string; plaintextGateway: string }) : undefined;
  }, 60_000);
  note(`process groups: authwatch ${authwatch.pid}, demo system ${system.pid}`);
  for (const group of [authwatch, system]) void group.exited.then((code) => !stopping && (note(`a component exited (${code})`), void stopAll(1)));

  say(`Dashboard: ${authwatchUrl}/`);
  try {
    // The link names the address the dashboard was printed with, unless the operator set their own.
    const linkEnv = { AUTHWATCH_PUBLIC_URL: authwatchUrl, ...env };
    say(`Sign in: ${await createAdminLink('admin@demo.local', `${authwatchUrl}/`, linkEnv)}`);
  } catch (error) {
    note(`no sign-in link for admin@demo.local: ${(error as Error).message}`);
  }
  say(`Gateway: ${urls.gateway} (CA: ${path.join(path.dirname(database), 'demo-ca.pem')}), plaintext listener ${urls.plaintextGateway}`);
  say('Normal traffic runs all the time, attacks on a schedule; Ctrl-C stops everything.');
}

main().catch((error: unknown) => {
  note(error instanceof Error ? error.message : String(error));
  void stopAll(1);
});
