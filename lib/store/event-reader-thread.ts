/**
 * An event reader thread: answers read verbs on its own read-only connection,
 * beside the main thread's HTTP work and the writer's commits. Bundled by
 * scripts/build-server-bundles.mjs; started by event-reader.ts.
 */
import { workerData } from 'node:worker_threads';
import { serveRequests } from '../threads/serve-requests';
import { serveRead, type ReaderData, type ReadRequest } from './event-reader';
import { openSqliteReader } from './sqlite/sqlite-reader';

const { database } = workerData as ReaderData;
const reader = openSqliteReader(database);

serveRequests('event reader', (request: ReadRequest) => serveRead(reader, request), () => reader.close());
