import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { killGroup, spawnInOwnGroup } from './server';

/** Paths, promtool, and the `npm run observability` launcher as the tests drive them. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PROMETHEUS_DIR = path.join(PROJECT_ROOT, 'prometheus');
export const GRAFANA_DIR = path.join(PROJECT_ROOT, 'grafana');

export function readYaml<T>(file: string): T {
  return parse(fs.readFileSync(path.resolve(PROJECT_ROOT, file), 'utf8')) as T;
}

export type ToolRun = { status: number | null; output: string };

/** Runs a Prometheus tool (promtool, amtool) with a bound on its time. */
export function runTool(command: string, args: string[], cwd = PROJECT_ROOT): ToolRun {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value other than undefined, at most `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export type RunningObservability = {
  pid: number;
  prometheusUrl: string;
  alertmanagerUrl: string;
  output(): string;
  /** Signals the launcher alone (it must stop its daemons) and resolves with its exit code. */
  signal(signal: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** True while any process of the launcher's group is alive. */
  groupAlive(): boolean;
  /** Kills whatever of the group is left. */
  dispose(): Promise<void>;
};

export type ObservabilityOptions = {
  stateDir: string;
  authwatchUrl: string;
  metricsToken?: string;
  scrapeInterval?: string;
  prometheusPort: number;
  alertmanagerPort: number;
};

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `npm run observability` (its script, without npm) in a process group of its own. */
export async function startObservability(options: ObservabilityOptions, readyTimeoutMs = 90_000): Promise<RunningObservability> {
  const child = spawnInOwnGroup(['--import', 'tsx', 'scripts/observability.ts'], {
    AUTHWATCH_URL: options.authwatchUrl,
    AUTHWATCH_OBSERVABILITY_DIR: options.stateDir,
    AUTHWATCH_PROMETHEUS_PORT: String(options.prometheusPort),
    AUTHWATCH_ALERTMANAGER_PORT: String(options.alertmanagerPort),
    ...(options.metricsToken ? { AUTHWATCH_METRICS_TOKEN: options.metricsToken } : {}),
    ...(options.scrapeInterval ? { AUTHWATCH_SCRAPE_INTERVAL: options.scrapeInterval } : {}),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid as number;
  // The daemons share the launcher's group: killing the group ends whatever is left of all three.
  const dispose = async () => {
    killGroup(child, 'SIGKILL');
    await waitFor('the launcher group to exit', 10_000, async () => (groupAlive(pid) ? undefined : true)).catch(() => undefined);
  };

  try {
    await waitFor('the launcher to print its URLs', readyTimeoutMs, async () => {
      if (child.exitCode !== null) throw new Error(`launcher exited with ${child.exitCode}:\n${output}`);
      return /^Press Ctrl-C to stop\.$/m.test(output) ? true : undefined;
    });
  } catch (error) {
    await dispose();
    throw new Error(`${String(error)}\n${output}`, { cause: error });
  }
  const urlOf = (name: string) => new RegExp(`^${name}: (\\S+)$`, 'm').exec(output)?.[1] ?? '';
  return {
    pid,
    prometheusUrl: urlOf('Prometheus'),
    alertmanagerUrl: urlOf('Alertmanager'),
    output: () => output,
    signal: async (signal, timeoutMs = 30_000) => {
      process.kill(pid, signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`launcher still running ${timeoutMs} ms after ${signal}`)), timeoutMs);
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    },
    groupAlive: () => groupAlive(pid),
    dispose,
  };
}

export type PromVector = { metric: Record<string, string>; value: [number, string] }[];
export type PromMatrix = { metric: Record<string, string>; values: [number, string][] }[];
type PromAnswer<T> = { status: 'success' | 'error'; data: T; error?: string; errorType?: string };

/** GETs a Prometheus (or Alertmanager) API path; throws on anything but success. */
export async function prometheusApi<T>(baseUrl: string, route: string, params: Record<string, string> = {}): Promise<T> {
  const url = new URL(route, baseUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  const body = (await response.json()) as PromAnswer<T>;
  if (response.status !== 200 || body.status !== 'success') {
    throw new Error(`${route} ${JSON.stringify(params)}: ${response.status} ${body.errorType ?? ''} ${body.error ?? ''}`);
  }
  return body.data;
}

export async function instantQuery(baseUrl: string, expr: string): Promise<PromVector> {
  const data = await prometheusApi<{ resultType: string; result: PromVector }>(baseUrl, '/api/v1/query', { query: expr });
  if (data.resultType !== 'vector') throw new Error(`${expr} gave a ${data.resultType}, not a vector`);
  return data.result;
}

export async function rangeQuery(baseUrl: string, expr: string, startSeconds: number, endSeconds: number): Promise<PromMatrix> {
  const data = await prometheusApi<{ resultType: string; result: PromMatrix }>(baseUrl, '/api/v1/query_range', {
    query: expr,
    start: String(startSeconds),
    end: String(endSeconds),
    step: '1',
  });
  if (data.resultType !== 'matrix') throw new Error(`${expr} gave a ${data.resultType}, not a matrix`);
  return data.result;
}
