import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReporter } from '@/lib/reporter';
import type { Reporter, ReporterOptions, ReporterProblem } from '@/lib/reporter';
import { startFakeIngest, type FakeIngest } from '../../helpers/fake-ingest';

const open: { reporters: Reporter[]; servers: FakeIngest[] } = { reporters: [], servers: [] };

afterEach(async () => {
  await Promise.all(open.reporters.splice(0).map((reporter) => reporter.close(100)));
  await Promise.all(open.servers.splice(0).map((server) => server.stop()));
});

async function fakeIngest(): Promise<FakeIngest> {
  const server = await startFakeIngest();
  open.servers.push(server);
  return server;
}

function reporterFor(server: { url: string }, options: Partial<ReporterOptions> = {}): { reporter: Reporter; problems: ReporterProblem[] } {
  const problems: ReporterProblem[] = [];
  const reporter = createReporter({
    url: server.url,
    key: 'aw_test_key',
    service: 'gateway',
    flushIntervalMs: 60_000,
    backoffInitialMs: 20,
    random: () => 0,
    onError: (problem) => problems.push(problem),
    ...options,
  });
  open.reporters.push(reporter);
  return { reporter, problems };
}

const failure = { type: 'login.failure', reason: 'bad_credentials', actor: { username: 'alice' } } as const;

describe('createReporter', () => {
  it('sends a full batch at once, with the key, the service, an id and a time on every event', async () => {
    const server = await fakeIngest();
    const { reporter } = reporterFor(server, { batchSize: 3 });
    const ids = [1, 2, 3, 4].map(() => reporter.report(failure));
    await server.waitForRequests(1);
    expect(server.requests[0].headers.authorization).toBe('Bearer aw_test_key');
    expect(server.requests[0].events.map((event) => event.id)).toEqual(ids.slice(0, 3));
    expect(server.requests[0].events[0]).toMatchObject({ service: 'gateway', type: 'login.failure', reason: 'bad_credentials' });
    expect(Date.parse(String(server.requests[0].events[0].time))).not.toBeNaN();
    // The server has the request; the reporter settles it once the answer is read.
    await vi.waitFor(() => expect(reporter.stats()).toMatchObject({ reported: 4, acknowledged: 3, pending: 1 }));
  });

  it('sends a partial batch when the interval ends', async () => {
    const server = await fakeIngest();
    const { reporter } = reporterFor(server, { batchSize: 100, flushIntervalMs: 30 });
    reporter.report(failure);
    reporter.report(failure);
    await server.waitForRequests(1);
    expect(server.requests[0].events).toHaveLength(2);
  });

  it('keeps a batch under its byte bound', async () => {
    const server = await fakeIngest();
    const event = { ...failure, id: '00000000-0000-4000-8000-000000000000', time: '2026-11-28T12:00:00.000Z' };
    const eventBytes = Buffer.byteLength(JSON.stringify({ ...event, service: 'gateway' }));
    const maxBatchBytes = 1 + 2 * (eventBytes + 1);
    const { reporter } = reporterFor(server, { batchSize: 100, maxBatchBytes });
    for (let n = 0; n < 5; n++) reporter.report({ ...event, id: `00000000-0000-4000-8000-00000000000${n}` });
    await reporter.flush(5_000);
    expect(server.requests.map((request) => request.events.length)).toEqual([2, 2, 1]);
    expect(Buffer.byteLength(server.requests[0].body)).toBe(maxBatchBytes);
  });

  it('retries a 503 with growing, jittered delays, resending the same bytes so the ids stay the same', async () => {
    const server = await fakeIngest();
    server.respond((request, index) =>
      index < 2 ? { status: 503, body: { error: { code: 'ERR_STORE_BUSY' } } } : { status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } },
    );
    const { reporter, problems } = reporterFor(server);
    reporter.report(failure);
    expect(await reporter.flush(5_000)).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((request) => request.body)).size).toBe(1);
    expect(problems).toEqual([
      { kind: 'retrying', attempt: 1, delayMs: 10, status: 503, message: 'HTTP 503 ERR_STORE_BUSY' },
      { kind: 'retrying', attempt: 2, delayMs: 20, status: 503, message: 'HTTP 503 ERR_STORE_BUSY' },
    ]);
    expect(server.requests[2].at - server.requests[1].at).toBeGreaterThanOrEqual(19);
    expect(reporter.stats()).toMatchObject({ acknowledged: 1, retries: 2, pending: 0 });
  });

  it.each([429, 507])('waits the Retry-After of a %i before trying again', async (status) => {
    const server = await fakeIngest();
    server.respond((request, index) =>
      index === 0 ? { status, headers: { 'retry-after': '1' } } : { status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } },
    );
    const { reporter, problems } = reporterFor(server);
    reporter.report(failure);
    expect(await reporter.flush(5_000)).toBe(true);
    expect(problems[0]).toMatchObject({ kind: 'retrying', delayMs: 1_000, status });
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(990);
  });

  it('retries a 408 but drops a batch refused with another 4xx, counting it as rejected', async () => {
    const server = await fakeIngest();
    const statuses = [408, 401];
    server.respond((request, index) => ({ status: statuses[index] ?? 200, body: { error: { code: 'ERR_AUTH_INVALID' } } }));
    const { reporter, problems } = reporterFor(server);
    const id = reporter.report(failure);
    expect(await reporter.flush(5_000)).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(problems.at(-1)).toEqual({ kind: 'rejected', status: 401, ids: [id], codes: ['HTTP 401 ERR_AUTH_INVALID'] });
    expect(reporter.stats()).toMatchObject({ acknowledged: 0, retries: 1, pending: 0, dropped: { rejected: 1 } });
  });

  it('acknowledges the good events of a batch and reports the ones authwatch rejected', async () => {
    const server = await fakeIngest();
    server.respond(() => ({ status: 200, body: { accepted: 1, duplicates: 1, rejected: [{ index: 1, error: { code: 'ERR_EVENT_INVALID' } }] } }));
    const acknowledged: string[] = [];
    const { reporter, problems } = reporterFor(server, { onAcknowledged: (ids) => acknowledged.push(...ids) });
    const ids = [reporter.report(failure), reporter.report(failure), reporter.report(failure)];
    await reporter.flush(5_000);
    expect(acknowledged).toEqual([ids[0], ids[2]]);
    expect(problems).toEqual([{ kind: 'rejected', status: 200, ids: [ids[1]], codes: ['ERR_EVENT_INVALID'] }]);
    expect(reporter.stats()).toMatchObject({ acknowledged: 2, duplicates: 1, dropped: { rejected: 1 } });
  });

  it('holds at most its bound while authwatch is unreachable and counts what it drops', async () => {
    const server = await fakeIngest();
    await server.stop();
    const { reporter, problems } = reporterFor(server, { maxQueueEvents: 5 });
    const ids = Array.from({ length: 8 }, () => reporter.report(failure));
    expect(ids.filter((id) => id === undefined)).toHaveLength(3);
    expect(problems.filter((problem) => problem.kind === 'dropped')).toHaveLength(3);
    expect(reporter.stats()).toMatchObject({ reported: 5, pending: 5, dropped: { queue_full: 3 } });
  });

  it('drops an event larger than maxEventBytes and one that cannot be serialised', async () => {
    const server = await fakeIngest();
    const { reporter } = reporterFor(server, { maxEventBytes: 300 });
    expect(reporter.report({ ...failure, attributes: { note: 'x'.repeat(400) } })).toBeUndefined();
    expect(reporter.report({ ...failure, attributes: { count: 1n as unknown as number } })).toBeUndefined();
    expect(reporter.stats().dropped).toMatchObject({ too_large: 1, unserialisable: 1 });
  });

  it('loses nothing while authwatch restarts: every id arrives once it is back', async () => {
    const server = await fakeIngest();
    const { reporter } = reporterFor(server, { batchSize: 10, flushIntervalMs: 20, backoffMaxMs: 200 });
    const sent = Array.from({ length: 5 }, () => reporter.report(failure));
    await server.waitForRequests(1);
    await server.stop();
    sent.push(...Array.from({ length: 25 }, () => reporter.report(failure)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reporter.stats().retries).toBeGreaterThan(0);
    await server.restart();
    expect(await reporter.flush(5_000)).toBe(true);
    const delivered = server.requests.flatMap((request) => request.events.map((event) => event.id));
    expect(new Set(delivered)).toEqual(new Set(sent));
    expect(reporter.stats()).toMatchObject({ reported: 30, acknowledged: 30, pending: 0 });
  });

  it('sends what it holds when closed, then refuses new events', async () => {
    const server = await fakeIngest();
    const { reporter } = reporterFor(server, { batchSize: 100 });
    const id = reporter.report(failure);
    const stats = await reporter.close(5_000);
    expect(server.requests.flatMap((request) => request.events.map((event) => event.id))).toEqual([id]);
    expect(stats).toMatchObject({ acknowledged: 1, pending: 0 });
    expect(reporter.report(failure)).toBeUndefined();
    expect(reporter.stats().dropped.closed).toBe(1);
  });

  it('gives up at the close timeout and says how many events it still held', async () => {
    const server = await fakeIngest();
    await server.stop();
    const { reporter } = reporterFor(server);
    reporter.report(failure);
    const stats = await reporter.close(150);
    expect(stats.pending).toBe(1);
    expect(stats.acknowledged).toBe(0);
  });

  it('keeps an id the caller chose, so a re-reported event is the same event', async () => {
    const server = await fakeIngest();
    const { reporter } = reporterFor(server);
    expect(reporter.report({ ...failure, id: 'login-42' })).toBe('login-42');
    await reporter.flush(5_000);
    expect(server.requests[0].events[0].id).toBe('login-42');
  });
});
