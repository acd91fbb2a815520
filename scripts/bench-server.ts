/** Starts and stops the production server under benchmark, in its own process group. */
import { spawn, type ChildProcess } from 'node:child_process';

const SERVER_START_TIMEOUT_MS = 60_000;

export type Server = { child: ChildProcess; url: string };

/** `detection`: whether the server runs its detection engine (AUTHWATCH_DETECTION), so a run can give its cost. */
export function startServer(file: string, detection: 'on' | 'off' = 'on'): Promise<Server> {
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'server.js'], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: '0',
      HOSTNAME: '127.0.0.1',
      AUTHWATCH_DB: file,
      // Info, since lib/log drops the 'listening' line below it; only warnings and errors are echoed.
      AUTHWATCH_LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'info',
      AUTHWATCH_INGEST_RATE: '100000000',
      AUTHWATCH_INGEST_BURST: '100000000',
      AUTHWATCH_DETECTION: detection,
      // The open-loop singles keep opening connections when the server falls behind: no connection cap.
      AUTHWATCH_MAX_CONNECTIONS: '1000000',
      AUTHWATCH_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
    },
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      stopServer(child);
      reject(new Error('the server did not report "listening" within 60 s'));
    }, SERVER_START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited early (code ${code})`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const parsed = JSON.parse(line) as { msg?: string; url?: string; level?: string };
          if (parsed.msg === 'listening' && parsed.url) {
            clearTimeout(timer);
            resolve({ child, url: parsed.url });
          } else if (parsed.level !== 'info' && parsed.level !== 'debug') process.stderr.write(`  server: ${line}\n`);
        } catch {
          process.stderr.write(`  server: ${line}\n`);
        }
      }
    });
  });
}

export function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

