import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export type RunningServer = {
  url: string;
  dbFile: string;
  directory: string;
  pid: number;
  /** Everything the server wrote to stdout and stderr so far. */
  logs: () => string;
  /** Signals the server's process group and waits for it to exit; resolves to its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Deletes the temporary directory; call after stop. */
  remove: () => void;
};

/** A temporary directory holding a database path, for servers and stores that share it. */
export function makeTempDirectory(): { directory: string; dbFile: string } {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-it-'));
  return { directory, dbFile: path.join(directory, 'authwatch.db') };
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts the production server (`node server.js`, needs `next build`) in its own
 * process group on a free port, with a temporary database unless one is given.
 */
export async function startServer(options: { env?: Record<string, string>; dbFile?: string; directory?: string } = {}): Promise<RunningServer> {
  const temp = options.dbFile ? { directory: options.directory ?? path.dirname(options.dbFile), dbFile: options.dbFile } : makeTempDirectory();
  const child = spawn(process.execPath, ['server.js'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: '0',
      HOSTNAME: '127.0.0.1',
      AUTHWATCH_DB: temp.dbFile,
      ...options.env,
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), START_TIMEOUT_MS);
    const look = () => {
      const match = /"msg":"listening","url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  const health = await fetch(`${url}/api/health`);
  if (health.status !== 200) throw new Error(`health check answered ${health.status}`);

  const pid = child.pid!;
  return {
    url,
    dbFile: temp.dbFile,
    directory: temp.directory,
    pid,
    logs: () => output,
    stop: async (signal = 'SIGTERM') => {
      const exited = waitForExit(child);
      try {
        process.kill(-pid, signal);
      } catch {
        return child.exitCode;
      }
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
      const result = await Promise.race([exited, timeout]);
      if (result === 'timeout') {
        process.kill(-pid, 'SIGKILL');
        return waitForExit(child);
      }
      return result;
    },
    remove: () => fs.rmSync(temp.directory, { recursive: true, force: true }),
  };
}
