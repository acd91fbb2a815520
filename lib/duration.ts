import { z } from 'zod';

/** Milliseconds per unit of the durations operators write: `30s`, `15m`, `12h`, `90d`. */
export const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration setting (`30s`, `15m`, `12h`, `7d`), in milliseconds. */
export const Duration = z
  .string()
  .regex(/^[1-9]\d{0,5}[smhd]$/, 'use a whole number followed by s, m, h or d, e.g. 12h')
  .transform((text) => Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.at(-1) as keyof typeof DURATION_UNITS_MS]);
export type Duration = z.infer<typeof Duration>;
