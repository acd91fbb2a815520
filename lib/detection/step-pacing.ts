/**
 * At most this share of one core goes to detection while it has work waiting
 * and ingest is busy. Detection is off the commit path (its own thread,
 * following the stored sequence), but on a small machine its CPU is ingest's
 * CPU: when ingest runs flat out, the engine takes its share and falls behind,
 * then catches up, instead of slowing ingest down (bench:ingest --detection
 * on|off measures what a share costs). A step under normal load takes
 * milliseconds, so there the step interval alone decides.
 */
export const DETECTION_SHARE = 1 / 5;

/**
 * How long the detection thread waits after a step that took `stepMs` and
 * left work waiting (`behind`) or not. With ingest idle (nothing stored during
 * the step) a backlog is worked off at full speed: there is no one to yield to.
 */
export function nextStepDelay({ stepMs, behind, intervalMs, ingestIdle = false }: { stepMs: number; behind: boolean; intervalMs: number; ingestIdle?: boolean }): number {
  if (behind && ingestIdle) return 0;
  const rest = stepMs * (1 / DETECTION_SHARE - 1);
  return Math.ceil(Math.max(behind ? 0 : intervalMs, rest));
}
