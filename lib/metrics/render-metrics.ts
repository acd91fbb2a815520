import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { counters } from './counters';
import { gauges } from './gauges';
import { histograms } from './histograms';
import { initialiseServiceSeries } from './record-ingest';
import { getRegistry } from './registry';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** When AUTHWATCH_METRICS_TOKEN is set, a scrape must present it as a bearer token. */
function checkScrapeToken(expected: string | undefined, authorization: string | null): void {
  if (expected === undefined) return;
  if (!authorization) throw new AuthwatchError('ERR_AUTH_MISSING', 'this endpoint needs Authorization: Bearer <metrics token>');
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] ?? '';
  if (!timingSafeEqual(digest(presented), digest(expected))) throw new AuthwatchError('ERR_AUTH_INVALID', 'the metrics token is not valid');
}

/** Every metric of the contract is exposed (HELP and TYPE) from the first scrape, even before it has a sample. */
function registerEveryMetric(): void {
  for (const create of [...Object.values(counters), ...Object.values(gauges), ...Object.values(histograms)]) create();
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
  initialiseServiceSeries(ctx.store.listServices().map((service) => service.name));
  const registry = getRegistry();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
