import 'server-only';
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { getCore } from '../core';

/** A registry with Node's process metrics; the core (lib/core.ts) keeps the process's one. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
