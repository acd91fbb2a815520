import 'server-only';
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/**
 * One registry per process on globalThis. Next.js can evaluate this module in
 * more than one bundle; a second registry (or a second registration) would
 * either throw or split the counts.
 */
const REGISTRY_KEY = Symbol.for('authwatch.metrics.registry');
type WithRegistry = typeof globalThis & { [REGISTRY_KEY]?: Registry };

export function getRegistry(): Registry {
  const holder = globalThis as WithRegistry;
  if (!holder[REGISTRY_KEY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    holder[REGISTRY_KEY] = registry;
  }
  return holder[REGISTRY_KEY];
}

/** Returns the metric already registered under `name`, or registers the one `create` makes. */
export function getOrCreate<T extends Metric>(name: string, create: (registry: Registry) => T): T {
  const registry = getRegistry();
  return (registry.getSingleMetric(name) as T | undefined) ?? create(registry);
}
