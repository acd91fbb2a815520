import { z } from 'zod';

/**
 * Building blocks of every rule's parameter schema. Parameters are stored and
 * sent through `PUT /api/v1/rules/{id}` as they are parsed here, so their
 * names follow the API's snake_case. Every bound keeps a rule's state bounded:
 * a threshold is also the most events a rule keeps per key.
 */
export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

export const MAX_WINDOW_SECONDS = 7 * 86_400;
export const MAX_THRESHOLD = 10_000;
export const DEFAULT_QUIET_PERIOD_SECONDS = 3_600;

const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

/** Whether the rule runs, what severity its alerts carry, and how long a key must stay quiet before its alert resolves. */
export function commonParams(severity: Severity) {
  return {
    enabled: z.boolean().default(true),
    severity: Severity.default(severity),
    quiet_period_seconds: seconds(60, MAX_WINDOW_SECONDS).default(DEFAULT_QUIET_PERIOD_SECONDS),
  };
}

/** A count over a sliding window of event time: fires when `threshold` events fall within `window_seconds`. */
export function windowParams(defaults: { windowSeconds: number; threshold: number }) {
  return {
    window_seconds: seconds(1, MAX_WINDOW_SECONDS).default(defaults.windowSeconds),
    threshold: z.number().int().min(1).max(MAX_THRESHOLD).default(defaults.threshold),
  };
}

/** The parameters every rule has, whatever else it adds. */
export type CommonParams = { enabled: boolean; severity: Severity; quiet_period_seconds: number; group_by: string };

/** "5 min", "24 h", "2 days", "1.5 h", "90 s": a duration as people say it. */
export function formatDuration(totalSeconds: number): string {
  const rounded = (value: number) => String(Math.round(value * 10) / 10);
  if (totalSeconds >= 2 * 86_400) return `${rounded(totalSeconds / 86_400)} days`;
  if (totalSeconds >= 3_600) return `${rounded(totalSeconds / 3_600)} h`;
  if (totalSeconds >= 60 && totalSeconds % 60 === 0) return `${totalSeconds / 60} min`;
  return totalSeconds >= 120 ? `${rounded(totalSeconds / 60)} min` : `${totalSeconds} s`;
}
