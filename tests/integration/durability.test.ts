import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createServiceWithKey, loginFailure, postEvents, type TestEvent } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/server';

const BATCH = 50;
const MAX_BATCHES_PER_WRITER = 1_000;
const KILL_AFTER_MS = 1_500;

describe('durability', () => {
  const servers: RunningServer[] = [];

  afterAll(async () => {
    for (const server of servers) await server.stop('SIGKILL');
    servers[0]?.remove();
  });

  it('keeps every acknowledged event exactly once across kill -9, with an intact database', async () => {
    const first = await startServer();
    servers.push(first);
    const { key } = createServiceWithKey(first.dbFile, 'gateway');
    const acknowledged: string[] = [];
    const unanswered: TestEvent[][] = [];
    let killed = false;
    let writersDone = 0;

    const writer = async () => {
      for (let sent = 0; sent < MAX_BATCHES_PER_WRITER && !killed; sent += 1) {
        const batch = Array.from({ length: BATCH }, () => loginFailure());
        try {
          const answer = await postEvents(first.url, key, batch);
          if (answer.status === 200 && answer.body.accepted === BATCH) acknowledged.push(...batch.map((event) => event.id));
        } catch {
          unanswered.push(batch);
        }
      }
      writersDone += 1;
    };
    const killer = new Promise<void>((resolve) =>
      setTimeout(() => {
        killed = true;
        process.kill(-first.pid, 'SIGKILL');
        resolve();
      }, KILL_AFTER_MS),
    );
    const writers = Promise.all([writer(), writer()]);
    await killer;
    expect(writersDone).toBe(0);
    await writers;
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await startServer({ dbFile: first.dbFile });
    servers.push(second);
    const db = new Database(second.dbFile, { readonly: true });
    const tables = db.prepare('SELECT table_name FROM event_partitions').pluck().all() as string[];
    const stored = tables.flatMap((table) => db.prepare(`SELECT id FROM ${table}`).pluck().all() as string[]);
    const copies = new Map<string, number>();
    for (const id of stored) copies.set(id, (copies.get(id) ?? 0) + 1);
    for (const id of acknowledged) expect(copies.get(id)).toBe(1);
    expect([...copies.values()].every((count) => count === 1)).toBe(true);
    // A batch cut off by the kill is all-or-nothing: one transaction.
    for (const batch of unanswered) {
      const present = batch.filter((event) => copies.has(event.id)).length;
      expect([0, BATCH]).toContain(present);
    }

    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const resumed = await postEvents(second.url, key, loginFailure());
    expect(resumed.body.accepted).toBe(1);
  });
});
