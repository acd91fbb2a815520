/** Durations in milliseconds, written once. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Whole UTC days since 1970-01-01: the day partition an instant belongs to. */
export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS);
}
