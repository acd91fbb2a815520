/**
 * The checkpointer thread (checkpointer.ts): a connection of its own that
 * copies the WAL into the database file when asked. Bundled by
 * scripts/build-server-bundles.mjs. Its StoreCondition logs a failing
 * checkpoint once ("checkpoint failing": the writer's says "store failing"
 * for the same full disk), and its recovery.
 */
import { workerData } from 'node:worker_threads';
import { serveRequests } from '../threads/serve-requests';
import type { CheckpointerData } from './checkpointer';
import { checkpointWal, openDatabase } from './sqlite/database';
import { withSqliteErrors } from './sqlite/sqlite-errors';
import { STORE_REMINDER_MS, STORE_SETTLE_MS, StoreCondition } from './store-condition';

const { database } = workerData as CheckpointerData;
const db = openDatabase(database);
const condition = new StoreCondition(STORE_REMINDER_MS, STORE_SETTLE_MS, Date.now, 'checkpoint');

serveRequests(
  'checkpointer',
  () => condition.observe(() => withSqliteErrors(() => checkpointWal(db))),
  () => db.close(),
);
