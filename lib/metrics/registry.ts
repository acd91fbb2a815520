import 'server-only';
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { getCore } from '../core';

/**
 * prom-client's totals of active handles, requests and resources are gauges
 * named `_total`, which `promtool check metrics` rejects; the per-type gauges
 * beside them (`nodejs_active_handles{type}`…) sum to the same numbers.
 */
const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** A registry with Node's process metrics; the core (lib/core.ts) keeps the process's one. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  return registry;
}

/**
 * The process's one registry. Next.js can evaluate this module in more than
 * one bundle; a second registry (or a second registration) would either throw
 * or split the counts.
 */
export function getRegistry(): Registry {
  return getCore().metrics;
}

/** Returns the metric already registered under `name`, or registers the one `create` makes. */
export function getOrCreate<T extends Metric>(name: string, create: (registry: Registry) => T): T {
  const registry = getRegistry();
  return (registry.getSingleMetric(name) as T | undefined) ?? create(registry);
}
