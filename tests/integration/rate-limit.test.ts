import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceWithKey, loginFailure, postEvents, withStore } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/server';

describe('the per-credential ingest rate', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // One event per second on top of a bucket of exactly 1,000: a parallel burst can only get the bucket's content.
    server = await startServer({ env: { AUTHWATCH_INGEST_RATE: '1', AUTHWATCH_INGEST_BURST: '1000' } });
  });

  afterAll(async () => {
    await server?.stop();
    server?.remove();
  });

  it('admits exactly the bucket under a parallel burst and answers the rest 429 with Retry-After', async () => {
    const { key } = createServiceWithKey(server.dbFile, 'burst');
    const batches = Array.from({ length: 10 }, () => Array.from({ length: 200 }, () => loginFailure()));
    const answers = await Promise.all(batches.map((batch) => postEvents(server.url, key, batch)));

    const admitted = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(admitted).toHaveLength(5);
    expect(refused).toHaveLength(5);
    for (const answer of refused) {
      expect(answer.body.error?.code).toBe('ERR_RATE_LIMITED');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const stored = withStore(server.dbFile, (store) => store.countEvents({ serviceId: store.findServiceByName('burst')!.id }));
    expect(stored).toBe(1000);
  });

  it('keeps one credential’s bucket apart from another’s', async () => {
    const { key } = createServiceWithKey(server.dbFile, 'calm');
    const answer = await postEvents(server.url, key, Array.from({ length: 1000 }, () => loginFailure()));
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(1000);
  });
});
