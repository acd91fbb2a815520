import { z } from 'zod';
import { getCore } from './core';
import { Duration } from './duration';

/**
 * Every setting authwatch reads, with its safe default. Secrets have no default:
 * an unset secret leaves its feature off rather than open with a known value.
 */
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const Config = z.object({
  AUTHWATCH_DB: z.string().min(1).default('./data/authwatch.db'),
  AUTHWATCH_SQLITE_SYNC: z.enum(['FULL', 'NORMAL', 'EXTRA']).default('FULL'),
  AUTHWATCH_SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  // The writer thread waits off the main thread, so it can wait out a detection step's commit.
  AUTHWATCH_WRITER_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  AUTHWATCH_SQLITE_CACHE_MB: positiveInt(64),
  AUTHWATCH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  AUTHWATCH_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  AUTHWATCH_RETENTION_INTERVAL_MINUTES: positiveInt(60),
  AUTHWATCH_RETENTION_CHUNK: z.coerce.number().int().min(100).max(100_000).default(2000),
  AUTHWATCH_INGEST_RATE: positiveInt(2000),
  AUTHWATCH_INGEST_BURST: z.coerce.number().int().min(1000).default(10_000),
  /** How long a client may take to send a request's headers, and all of it, before the connection is closed (slow-client floods). */
  AUTHWATCH_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(60_000).default(5_000),
  AUTHWATCH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(30_000),
  /** Open connections beyond these are answered 503 and closed: overall, and per TCP peer address (not applied behind a trusted proxy). */
  AUTHWATCH_MAX_CONNECTIONS: z.coerce.number().int().min(16).max(1_000_000).default(2_048),
  AUTHWATCH_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(128),
  /** Ingest body bytes being read or prepared across all requests; beyond it a request is answered 503 with Retry-After. */
  AUTHWATCH_INGEST_MAX_BYTES_IN_FLIGHT: z.coerce.number().int().min(1_048_576).default(64 * 1_048_576),
  AUTHWATCH_METRICS_TOKEN: z.string().min(16).optional(),
  AUTHWATCH_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  AUTHWATCH_READER_THREADS: z.coerce.number().int().min(1).max(8).default(2),
  /** `off` pauses the detection engine (a bulk backfill, a benchmark); when on again it evaluates, from its stored position, every event stored meanwhile. */
  AUTHWATCH_DETECTION: z.enum(['on', 'off']).default('on'),
  /** Grafana's base URL (http://127.0.0.1:3001): the overview links to the provisioned dashboards with its range when set. */
  AUTHWATCH_GRAFANA_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Alertmanager's base URL (http://127.0.0.1:9093): alerts are pushed to its API v2 when set. */
  AUTHWATCH_ALERTMANAGER_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** A webhook that receives every alert opened and resolved, signed with AUTHWATCH_WEBHOOK_SECRET. */
  AUTHWATCH_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTHWATCH_WEBHOOK_SECRET: z.string().min(32).optional(),
  AUTHWATCH_SESSION_IDLE: Duration.default(12 * 3_600_000),
  AUTHWATCH_SESSION_MAX_AGE: Duration.default(7 * 86_400_000),
  AUTHWATCH_SIGNIN_WINDOW: Duration.default(15 * 60_000),
  AUTHWATCH_SIGNIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(1000).default(5),
  AUTHWATCH_SIGNIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Only behind a reverse proxy that sets (overwrites) X-Forwarded-For and X-Forwarded-Proto. */
  AUTHWATCH_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false').transform((flag) => flag === 'true' || flag === '1'),
  /** The address people open authwatch at, e.g. https://authwatch.example.com: setup links use it, and same-origin checks expect it. */
  AUTHWATCH_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => new URL(url).origin)
    .optional(),
}).refine((config) => !config.AUTHWATCH_WEBHOOK_URL || config.AUTHWATCH_WEBHOOK_SECRET, {
  message: 'AUTHWATCH_WEBHOOK_URL needs AUTHWATCH_WEBHOOK_SECRET (32+ characters) to sign its deliveries',
  path: ['AUTHWATCH_WEBHOOK_SECRET'],
});
export type Config = z.infer<typeof Config>;

/** Reads and validates the environment; a bad value stops the process with the variable's name. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = Config.safeParse(blanksRemoved);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The process's configuration, read once (it lives in the core, lib/core.ts). */
export function getConfig(): Config {
  return getCore().config;
}
