import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEvents } from '../helpers/events';
import { withGatewayServer } from '../helpers/gateway-server';
import { ingestResult, postEvents } from '../helpers/http';

const running = withGatewayServer();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-checkpointer-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * The event ids the main database file holds on its own, without the WAL: a
 * copy of that file alone. Undefined when the copy caught a page being written.
 */
function idsInMainFile(dbFile: string): Set<string> | undefined {
  const copy = path.join(scratch, 'main-file-only.db');
  fs.copyFileSync(dbFile, copy);
  try {
    const db = new Database(copy, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'events_[pr]*'").pluck().all() as string[];
      return new Set(tables.flatMap((table) => db.prepare(`SELECT id FROM ${table}`).pluck().all() as string[]));
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  } finally {
    fs.rmSync(copy, { force: true });
  }
}

describe('the checkpointer thread', () => {
  it("copies the server's commits into the main database file while it runs, though they are far from filling the WAL", async () => {
    const { server, gateway } = running;
    const events = makeEvents(20);
    expect(ingestResult(await postEvents(server.url, events, { key: gateway.key })).accepted).toBe(20);

    // The writer's connection checkpoints only past 65,536 pages, and 20 events are far from
    // even SQLite's default 1,000: only the checkpointer puts them in the file.
    const deadline = Date.now() + 10_000;
    let held: Set<string> | undefined;
    while (Date.now() < deadline) {
      held = idsInMainFile(server.dbFile);
      if (held && events.every((event) => held!.has(event.id))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(events.filter((event) => !held?.has(event.id))).toEqual([]);
  });
});
