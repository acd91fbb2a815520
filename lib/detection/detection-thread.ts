/**
 * The detection thread: follows the store's event sequence on a connection of
 * its own and runs the engine (run-detection.ts) in steps, beside ingest's
 * threads, never on the thread that serves requests. Bundled by
 * scripts/build-server-bundles.mjs; started by detection-client.ts.
 */
import { workerData } from 'node:worker_threads';
import { log } from '../log';
import { openSqliteDetection } from '../store/sqlite/sqlite-detection';
import { serveRequests } from '../threads/serve-requests';
import { toFailure } from '../threads/thread-messages';
import type { DetectionData, DetectionFigures, DetectionRequest } from './detection-client';
import { runDetection } from './run-detection';

const { database, intervalMs, batchLimit } = workerData as DetectionData;
const detection = openSqliteDetection(database);
const fired: DetectionFigures['fired'] = {};
let stopped = false;
let timer: NodeJS.Timeout | undefined;
let failing = false;

function step(): void {
  if (stopped) return;
  let evaluated: number;
  try {
    const report = runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: Date.now(), limit: batchLimit });
    evaluated = report.evaluated;
    for (const alert of report.opened) {
      const key = `${alert.rule}|${alert.severity}`;
      fired[key] = (fired[key] ?? 0) + 1;
    }
    if (failing) log.info('detection recovered', {});
    failing = false;
  } catch (error) {
    // Logged once per failing stretch; the same events are evaluated again on the next step.
    if (!failing) log.warn('detection step failed; will retry', { error: toFailure(error, 'detection step failed').message });
    failing = true;
    timer = setTimeout(step, 1_000);
    return;
  }
  // A full batch means more are waiting: go on at once, after any request queued meanwhile.
  timer = evaluated >= batchLimit ? setTimeout(step, 0) : setTimeout(step, intervalMs);
}

timer = setTimeout(step, 0);

serveRequests(
  'detection',
  (request: DetectionRequest): DetectionFigures => {
    switch (request.kind) {
      case 'figures':
        return { fired: { ...fired }, open: detection.store.openAlertCounts(), position: detection.store.position() };
    }
  },
  () => {
    stopped = true;
    clearTimeout(timer);
    detection.close();
  },
);
