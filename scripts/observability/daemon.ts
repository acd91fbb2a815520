import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * One long-running program `npm run observability` starts (Prometheus,
 * Alertmanager): output to a log file, readiness by polling a URL, and a
 * bounded stop (SIGTERM, then SIGKILL). It stays in the launcher's process
 * group, so whoever kills that group kills it too.
 */
export type Daemon = {
  name: string;
  logFile: string;
  exited: Promise<number | null>;
  isRunning(): boolean;
  waitReady(url: string, timeoutMs: number): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
};

export function startDaemon(name: string, command: string, args: string[], logFile: string): Daemon {
  const log = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(127));
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;

  return {
    name,
    logFile,
    exited,
    isRunning,
    async waitReady(url, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!isRunning()) throw new Error(`${name} exited before it was ready; see ${logFile}`);
        const ready = await fetch(url, { signal: AbortSignal.timeout(1_000) })
          .then((response) => response.ok)
          .catch(() => false);
        if (ready) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`${name} was not ready within ${timeoutMs} ms; see ${logFile}`);
    },
    async stop(timeoutMs) {
      if (!isRunning()) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
