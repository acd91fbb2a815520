import 'server-only';
import { bearerToken } from '../auth/bearer';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { counters } from './counters';
import { gauges } from './gauges';
import { histograms } from './histograms';
import { initialiseServiceSeries } from './record-ingest';
import { getRegistry } from './registry';
import { getCore } from '../core';
import type { Detection } from '../detection/detection-client';
import { RULES, defaultParams } from '../detection/rule-catalog';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** When AUTHWATCH_METRICS_TOKEN is set, a scrape must present it as a bearer token. */
function checkScrapeToken(expected: string | undefined, authorization: string | null): void {
  if (expected === undefined) return;
  if (!authorization) throw new AuthwatchError('ERR_AUTH_MISSING', 'this endpoint needs Authorization: Bearer <metrics token>');
  const presented = bearerToken(authorization) ?? '';
  if (!timingSafeEqual(digest(presented), digest(expected))) throw new AuthwatchError('ERR_AUTH_INVALID', 'the metrics token is not valid');
}

/**
 * Brings the alert metrics up to date from the detection thread: alerts fired
 * since the last scrape, and those open now (every rule shows, at 0 when
 * none is open). A detection thread that does not answer leaves them as they were.
 */
async function recordDetection(detection: Detection | undefined): Promise<void> {
  if (!detection) return;
  const figures = await detection.figures().catch(() => undefined);
  if (!figures) return;
  for (const [key, count] of Object.entries(detection.newlyFired(figures))) {
    const [rule, severity] = key.split('|');
    counters.alertsFired().inc({ rule, severity }, count);
  }
  const open = gauges.alertsOpen();
  open.reset();
  for (const rule of RULES) open.set({ rule: rule.id, severity: defaultParams(rule).severity }, 0);
  for (const [key, count] of Object.entries(figures.open)) {
    const [rule, severity] = key.split('|');
    open.set({ rule, severity }, count);
  }
}

/** Every metric of the contract is exposed (HELP and TYPE) from the first scrape, even before it has a sample. */
function registerEveryMetric(): void {
  for (const create of [...Object.values(counters), ...Object.values(gauges), ...Object.values(histograms)]) create();
}

/** How often a scrape asks the detection thread for its figures. */
export const METRICS_REFRESH_MS = 1_000;

/**
 * Gives each registered service its zero-valued series, once per service: a
 * scrape lists the services (one small query) and initialises only new ones.
 */
function initialiseNewServices(ctx: Context): void {
  const initialised = getCore().servicesWithSeries;
  const added = ctx.store.listServices().map((service) => service.name).filter((name) => !initialised.has(name));
  if (added.length === 0) return;
  initialiseServiceSeries(added);
  for (const name of added) initialised.add(name);
}

export async function renderMetrics({
  ctx,
  input,
}: {
  ctx: Context;
  input: { authorization: string | null; expectedToken: string | undefined };
}): Promise<{ contentType: string; body: string }> {
  checkScrapeToken(input.expectedToken, input.authorization);
  registerEveryMetric();
  initialiseNewServices(ctx);
  // The alert figures come from the detection thread: at most once a second, shared by concurrent scrapes.
  await getCore().throttled('detection-figures', METRICS_REFRESH_MS, () => recordDetection(getCore().detection));
  const registry = getRegistry();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
