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
import { getConfig } from '../config';
import { deliverNotifications, notificationTargets, targetNames } from '../notifications/deliver-notifications';
import { RuleStateCache } from './rule-state-cache';
import { runDetection } from './run-detection';
import { nextStepDelay } from './step-pacing';

const DELIVERY_INTERVAL_MS = 1_000;

const { database, intervalMs, batchLimit, publicUrl } = workerData as DetectionData;
const detection = openSqliteDetection(database);
const targets = notificationTargets(getConfig(), publicUrl);
const targetList = targetNames(targets);
const fired: DetectionFigures['fired'] = {};
let stopped = false;
let timer: NodeJS.Timeout | undefined;
let failing = false;
const cache = new RuleStateCache();

function step(): void {
  if (stopped) return;
  let evaluated: number;
  const started = performance.now();
  let ingestIdle: boolean;
  try {
    const latestBefore = detection.latestSeq();
    const report = runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: Date.now(), limit: batchLimit, targets: targetList, cache });
    evaluated = report.evaluated;
    ingestIdle = detection.latestSeq() === latestBefore;
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
  // A full batch means more are waiting: go on soon, after any request queued meanwhile, within detection's share of a
  // core while ingest stores events, at once while it stores none.
  const behind = evaluated >= batchLimit;
  timer = setTimeout(step, nextStepDelay({ stepMs: performance.now() - started, behind, intervalMs, ingestIdle }));
}

timer = setTimeout(step, 0);

/** Notifications go out on their own timer: a target that is slow or down delays only them. */
let lastAlertmanagerPush = 0;
let deliveryTimer: NodeJS.Timeout | undefined;
async function deliver(): Promise<void> {
  if (stopped) return;
  try {
    lastAlertmanagerPush = await deliverNotifications({ tables: detection.store, targets, now: Date.now(), lastAlertmanagerPush });
  } catch (error) {
    log.warn('notification delivery failed; will retry', { error: toFailure(error, 'notification delivery failed').message });
  }
  if (!stopped) deliveryTimer = setTimeout(() => void deliver(), DELIVERY_INTERVAL_MS);
}
if (targetList.length > 0) deliveryTimer = setTimeout(() => void deliver(), DELIVERY_INTERVAL_MS);

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
    clearTimeout(deliveryTimer);
    detection.close();
  },
);
