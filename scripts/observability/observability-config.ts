import path from 'node:path';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

/**
 * What `npm run observability` reads from the environment. AUTHWATCH_URL is the
 * authwatch to scrape (default: this machine, on PORT); the metrics token, when
 * authwatch has one, goes to Prometheus through a file, never a command line.
 */
export const ObservabilityConfig = z.object({
  PORT: port(3000),
  AUTHWATCH_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTHWATCH_METRICS_TOKEN: z.string().min(16).optional(),
  AUTHWATCH_PROMETHEUS_PORT: port(9090),
  AUTHWATCH_ALERTMANAGER_PORT: port(9093),
  AUTHWATCH_OBSERVABILITY_DIR: z.string().min(1).default('./data/observability'),
  /** Overrides prometheus.yml's scrape and evaluation intervals (tests use 1s). */
  AUTHWATCH_SCRAPE_INTERVAL: z
    .string()
    .regex(/^[1-9][0-9]*(ms|s|m)$/, 'a Prometheus duration such as 15s')
    .optional(),
});
export type ObservabilityConfig = z.infer<typeof ObservabilityConfig>;

export type ObservabilitySettings = {
  authwatchUrl: URL;
  metricsToken: string | undefined;
  prometheusPort: number;
  alertmanagerPort: number;
  stateDir: string;
  scrapeInterval: string | undefined;
};

export function readObservabilitySettings(env: NodeJS.ProcessEnv, cwd: string): ObservabilitySettings {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ObservabilityConfig.safeParse(blanksRemoved);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  return {
    authwatchUrl: new URL(config.AUTHWATCH_URL ?? `http://127.0.0.1:${config.PORT}`),
    metricsToken: config.AUTHWATCH_METRICS_TOKEN,
    prometheusPort: config.AUTHWATCH_PROMETHEUS_PORT,
    alertmanagerPort: config.AUTHWATCH_ALERTMANAGER_PORT,
    stateDir: path.resolve(cwd, config.AUTHWATCH_OBSERVABILITY_DIR),
    scrapeInterval: config.AUTHWATCH_SCRAPE_INTERVAL,
  };
}
