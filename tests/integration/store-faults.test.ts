import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEvent, makeEvents } from '../helpers/events';
import { errorCode, get, ingestResult, postEvents } from '../helpers/http';
import { provisionService, storedEvents } from '../helpers/provision';
import { PROJECT_ROOT, makeTempDir, spawnInOwnGroup, startServer, type RunningServer } from '../helpers/server';

/** Faults of the database under a running server, and at its start. */
const started: RunningServer[] = [];
const directories: string[] = [];
afterAll(async () => {
  for (const server of started.reverse()) await server.dispose();
  for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  const server = await startServer(options);
  started.push(server);
  return server;
}

/** Polls `probe` every 100 ms until it returns true, failing after `timeoutMs`. */
async function eventually(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `node server.js` that is expected to refuse to start; resolves with its exit code and output. */
async function startRefused(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child: ChildProcess = spawnInOwnGroup([path.join(PROJECT_ROOT, 'server.js')], { PORT: '0', HOSTNAME: '127.0.0.1', ...env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit within 30 s:\n${output}`));
    }, 30_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output };
}

const logged = (server: RunningServer, message: string) => server.logs().filter((line) => line.includes(`"msg":"${message}"`));

describe('a database file deleted under a running server', () => {
  it('answers ingest 503 ERR_STORE_UNAVAILABLE instead of acknowledging, reports not ready, and logs it once', async () => {
    const server = await start();
    const gateway = provisionService(server.dbFile, 'gateway');
    expect(ingestResult(await postEvents(server.url, makeEvent(), { key: gateway.key })).accepted).toBe(1);

    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${server.dbFile}${suffix}`, { force: true });
    // With no write since, readiness probes the store within a second and finds the file gone.
    await eventually(async () => (await get(server.url, '/api/ready')).status === 503);
    expect(errorCode(await get(server.url, '/api/ready'))).toBe('ERR_STORE_UNAVAILABLE');

    for (let attempt = 0; attempt < 5; attempt += 1) {
      const reply = await postEvents(server.url, makeEvents(3), { key: gateway.key });
      expect(reply.status).toBe(503);
      expect(errorCode(reply)).toBe('ERR_STORE_UNAVAILABLE');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(logged(server, 'store failing')).toHaveLength(1);
    expect(logged(server, 'store failing')[0]).toContain('ERR_STORE_UNAVAILABLE');
  });
});

describe('two servers on one database', () => {
  it('refuses the second with a clear error and a non-zero exit, while the CLI keeps working beside the first', async () => {
    const first = await start();
    const refused = await startRefused({ AUTHWATCH_DB: first.dbFile });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`another authwatch server is already running on the database ${first.dbFile}`);

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/authwatch.js', ...args], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', AUTHWATCH_DB: first.dbFile },
        encoding: 'utf8',
        timeout: 60_000,
      });
    expect(cli('services', 'add', 'billing').status).toBe(0);
    const created = cli('keys', 'create', 'billing');
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key.length).toBeGreaterThan(20);
    expect(cli('keys', 'list').status).toBe(0);
    expect(cli('retention', 'run').status).toBe(0);
    expect(ingestResult(await postEvents(first.url, makeEvent(), { key })).accepted).toBe(1);

    // The lock dies with the process, even one killed: the next server starts.
    await first.kill9();
    const next = await start({ dbFile: first.dbFile });
    expect((await get(next.url, '/api/ready')).status).toBe(200);
  });
});

describe('starting', () => {
  it('works from another working directory: migrations and data files are found beside the code', async () => {
    const elsewhere = makeTempDir();
    directories.push(elsewhere);
    const server = await start({ cwd: elsewhere, dbFile: path.join(elsewhere, 'authwatch.db') });
    const gateway = provisionService(server.dbFile, 'gateway');
    const event = makeEvent();
    expect(ingestResult(await postEvents(server.url, event, { key: gateway.key })).accepted).toBe(1);
    expect(storedEvents(server.dbFile, gateway.serviceId).map((stored) => stored.id)).toEqual([event.id]);
  });

  it('refuses a file that is not an SQLite database with an error naming the file and the problem', async () => {
    const directory = makeTempDir();
    directories.push(directory);
    const file = path.join(directory, 'authwatch.db');
    fs.writeFileSync(file, 'name,email\nada,ada@example.com\n'.repeat(300));
    const refused = await startRefused({ AUTHWATCH_DB: file });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`the database file ${file} is not an SQLite database`);
  });
});

/** A small tmpfs the test can fill: only root may mount one. */
function mountSmallDisk(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const directory = makeTempDir();
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', directory]).status === 0;
  if (!mounted) {
    fs.rmSync(directory, { recursive: true, force: true });
    return undefined;
  }
  return directory;
}

/** Fills the disk at `directory` until it has no space left; returns the filler file. */
function fillDisk(directory: string): string {
  const filler = path.join(directory, 'filler');
  const fd = fs.openSync(filler, 'w');
  try {
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

const disk = mountSmallDisk();

describe.skipIf(!disk)('a full disk', () => {
  afterAll(async () => {
    for (const server of started.splice(0).reverse()) await server.dispose();
    if (disk) spawnSync('umount', [disk]);
    if (disk) fs.rmSync(disk, { recursive: true, force: true });
  });

  it('answers 507, reports not ready, logs the state once and its recovery once, and takes events again with room', async () => {
    const server = await start({ dbFile: path.join(disk!, 'authwatch.db') });
    const gateway = provisionService(server.dbFile, 'gateway');
    expect(ingestResult(await postEvents(server.url, makeEvent(), { key: gateway.key })).accepted).toBe(1);
    const filler = fillDisk(disk!);

    const padded = () => makeEvents(100, { source: { ip: '203.0.113.7', user_agent: 'x'.repeat(400) } });
    let full = 0;
    for (let attempt = 0; attempt < 60 && full < 10; attempt += 1) {
      const reply = await postEvents(server.url, padded(), { key: gateway.key });
      if (reply.status === 507) full += 1;
      else expect(reply.status).toBe(200);
    }
    expect(full).toBe(10);
    const ready = await get(server.url, '/api/ready');
    expect(ready.status).toBe(507);
    expect(errorCode(ready)).toBe('ERR_STORE_FULL');
    expect(logged(server, 'store failing'), server.logs().filter((line) => line.includes('"msg":"store')).join('\n')).toHaveLength(1);
    expect(logged(server, 'store failing')[0]).toContain('ERR_STORE_FULL');
    expect(logged(server, 'store recovered')).toHaveLength(0);

    fs.rmSync(filler);
    await eventually(async () => (await get(server.url, '/api/ready')).status === 200);
    expect(ingestResult(await postEvents(server.url, makeEvent(), { key: gateway.key })).accepted).toBe(1);
    await server.waitForLog((line) => line.includes('"msg":"store recovered"'));
    expect(logged(server, 'store recovered')).toHaveLength(1);
    expect(logged(server, 'store failing')).toHaveLength(1);
  });
});
