/**
 * The yardstick for sustained ingest: the bare better-sqlite3 insert of the same
 * events into a naive schema, one table with five secondary indexes (time,
 * type, service, ip, username), WAL, synchronous=FULL, one transaction per batch
 * of 500. No partitions, no recent table, no dedupe on id, no rollups: what a
 * first attempt would store, indexed as it goes.
 */
import Database from 'better-sqlite3';
import { EventGenerator } from './bench-events';
import { BATCH_SIZE, toRecord } from './bench-store';

export type NaiveResult = { events: number; seconds: number; eventsPerSecond: number };

const SCHEMA = `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL, time INTEGER NOT NULL, received_at INTEGER NOT NULL,
    service_id INTEGER NOT NULL, type INTEGER NOT NULL, reason INTEGER, ip TEXT, username TEXT,
    subject TEXT, client_id TEXT, jti TEXT, redactions INTEGER NOT NULL, document TEXT NOT NULL
  );
  CREATE INDEX events_time ON events (time);
  CREATE INDEX events_type ON events (type, time);
  CREATE INDEX events_service ON events (service_id, time);
  CREATE INDEX events_ip ON events (ip, time);
  CREATE INDEX events_username ON events (username, time);
`;

/** Inserts `count` events (the sustained driver's generator and seed); only the transactions are timed. */
export function naiveInsert(file: string, count: number): NaiveResult {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    const insert = db.prepare(
      `INSERT INTO events (id, time, received_at, service_id, type, reason, ip, username, subject, client_id, jti, redactions, document)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertBatch = db.transaction((records: ReturnType<typeof toRecord>[]) => {
      for (const r of records) {
        insert.run(r.id, r.time, r.receivedAt, r.serviceId, r.type, r.reason, r.ip, r.username, r.subject, r.clientId, r.jti, r.redactions, r.document);
      }
    });
    const generator = new EventGenerator(0x9e3779b9);
    const batch = (size: number) => generator.batch(size, Date.now()).map((event) => toRecord(event, 1, 'bench', Date.now()));
    for (let i = 0; i < 10; i++) insertBatch(batch(BATCH_SIZE));
    let seconds = 0;
    for (let left = count; left > 0; left -= BATCH_SIZE) {
      const records = batch(Math.min(BATCH_SIZE, left));
      const started = performance.now();
      insertBatch(records);
      seconds += (performance.now() - started) / 1000;
    }
    return { events: count, seconds, eventsPerSecond: count / seconds };
  } finally {
    db.close();
  }
}
