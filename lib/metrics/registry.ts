import 'server-only';
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/**
 * One registry per process on globalThis. Next.js can evaluate this module in
 * more than one bundle; a second registry (or a second registration) would
 * either throw or split the counts.
 */
const REGISTRY_KEY = Symbol.for('authwatch.metrics.registry');

/**
 * prom-client's totals of active handles, requests and resources are gauges
 * named `_total`, which `promtool check metrics` rejects; the per-type gauges
 * beside them (`nodejs_active_handles{type}`…) sum to the same numbers.
 */
const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
type WithRegistry = typeof globalThis & { [REGISTRY_KEY]?: Registry };

export function getRegistry(): Registry {
  const holder = globalThis as WithRegistry;
  if (!holder[REGISTRY_KEY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);
    holder[REGISTRY_KEY] = registry;
  }
  return holder[REGISTRY_KEY];
}

/** Returns the metric already registered under `name`, or registers the one `create` makes. */
export function getOrCreate<T extends Metric>(name: string, create: (registry: Registry) => T): T {
  const registry = getRegistry();
  return (registry.getSingleMetric(name) as T | undefined) ?? create(registry);
}
