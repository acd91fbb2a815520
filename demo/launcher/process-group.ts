import { spawn } from 'node:child_process';
import os from 'node:os';

/**
 * A child process in a process group of its own, so it and everything it
 * starts can be signalled together, and only those. Its output is read line by
 * line; `stop` signals the group and, if it has not exited in time, kills it.
 */
export type GroupOptions = { cwd: string; env: Record<string, string | undefined>; stdin?: string; onLine?: (line: string, stream: 'stdout' | 'stderr') => void };
export type ProcessGroup = {
  pid: number;
  exited: Promise<number | null>;
  /** Resolves with the first stdout line `matches` accepts; rejects if the process exits first or time runs out. */
  waitForLine<T>(matches: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null>;
};

export function startGroup(command: string, args: string[], options: GroupOptions): ProcessGroup {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    let pending = '';
    child[stream].on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        options.onLine?.(line, stream);
        if (stream === 'stdout') {
          lines.push(line);
          for (const watch of watchers) watch(line);
        }
      }
    });
  }
  child.stdin.end(options.stdin ?? '');
  // Killed by a signal: 128 + its number, as a shell reports it (130 after Ctrl-C).
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + os.constants.signals[signal] : null))),
  );
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Already gone.
    }
  };
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    pid: child.pid as number,
    exited,
    waitForLine: (matches, timeoutMs) =>
      new Promise((resolve, reject) => {
        const finish = (outcome: () => void) => {
          clearTimeout(timer);
          watchers.delete(watch);
          outcome();
        };
        const watch = (line: string) => {
          const found = matches(line);
          if (found !== undefined) finish(() => resolve(found));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`${command} ${args.join(' ')}: no expected line within ${timeoutMs} ms`))), timeoutMs);
        watchers.add(watch);
        for (const line of lines) watch(line);
        void exited.then((code) => finish(() => reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
      }),
    stop: async (signal, timeoutMs) => {
      if (!running()) return exited;
      signalGroup(signal);
      const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      // Whatever the leader left behind in its group goes too.
      signalGroup('SIGKILL');
      return code;
    },
  };
}

/** The first JSON object on a line, or undefined. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
