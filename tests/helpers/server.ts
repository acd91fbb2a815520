import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs the production server (`node server.js`) in its own process group on a
 * fresh temporary database, so each test file starts from nothing and can
 * signal or kill exactly the processes it started.
 */
export type RunningServer = {
  url: string;
  dbFile: string;
  pid: number;
  /** Signals the process group and resolves with the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill9(): Promise<void>;
  /** Everything the server wrote to stdout and stderr so far, one entry per line. */
  logs(): string[];
  /** Resolves with the first log line `matches` accepts, waiting at most `timeoutMs`. */
  waitForLog(matches: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Stops the server if it still runs and removes the temporary directory this call created. */
  dispose(): Promise<void>;
};

export type StartOptions = {
  env?: Record<string, string>;
  dbFile?: string;
  /** The working directory to start in; the project root unless given (the server must not depend on it). */
  cwd?: string;
};

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 20_000;
const running = new Set<ChildProcess>();

// A crashed test run must not leave servers behind: kill the groups this worker started.
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Spawns `node ARGS` from the project root in a process group of its own, with
 * a minimal production environment plus `env`; a crashed test run kills the group.
 */
export function spawnInOwnGroup(args: string[], env: Record<string, string>, cwd: string = PROJECT_ROOT): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-it-'));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitForHealth(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server at ${url} never became healthy`);
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const ownDir = options.dbFile === undefined ? makeTempDir() : undefined;
  const dbFile = options.dbFile ?? path.join(ownDir as string, 'authwatch.db');
  const child = spawnInOwnGroup(
    [path.join(PROJECT_ROOT, 'server.js')],
    { PORT: '0', HOSTNAME: '127.0.0.1', AUTHWATCH_DB: dbFile, ...options.env },
    options.cwd,
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        lines.push(line);
        const record = parseJson(line);
        if (record?.msg === 'listening' && typeof record.url === 'string') resolve(record.url);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${lines.join('\n')}`)));
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    killGroup(child, signal);
    try {
      return await withTimeout(exited, EXIT_TIMEOUT_MS, `server exit after ${signal}`);
    } catch (error) {
      killGroup(child, 'SIGKILL');
      throw error;
    }
  };

  let url: string;
  try {
    url = await withTimeout(listening, START_TIMEOUT_MS, 'server listening');
    await waitForHealth(url, Date.now() + START_TIMEOUT_MS);
  } catch (error) {
    killGroup(child, 'SIGKILL');
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    dbFile,
    pid: child.pid as number,
    stop,
    kill9: async () => void (await stop('SIGKILL')),
    logs: () => [...lines],
    waitForLog: async (matches, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(matches);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    dispose: async () => {
      await stop().catch(() => killGroup(child, 'SIGKILL'));
      if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
