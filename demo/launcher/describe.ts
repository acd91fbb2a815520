import type { ReporterStats } from '../../lib/reporter';
import type { ScenarioResult } from '../traffic/schedule';

/** "attack brute_force (round 1): 12 requests → 400×12" — what the attacker got, for the terminal. */
export function describeScenario(result: ScenarioResult): string {
  const statuses = new Map<number, number>();
  for (const attempt of result.attempts) statuses.set(attempt.status, (statuses.get(attempt.status) ?? 0) + 1);
  const summary = [...statuses].map(([status, count]) => `${status || 'no answer'}×${count}`).join(' ');
  const outcome = result.error ? `failed: ${result.error}` : `${result.attempts.length} requests → ${summary}`;
  return `attack ${result.scenario} (round ${result.round}): ${outcome}`;
}

/** "reporter gateway: 449 reported, 449 acknowledged, 0 dropped, 0 pending" — printed as the demo stops. */
export function describeReporter(stats: ReporterStats & { service: string }): string {
  const dropped = Object.values(stats.dropped).reduce((sum, count) => sum + count, 0);
  return `reporter ${stats.service}: ${stats.reported} reported, ${stats.acknowledged} acknowledged, ${dropped} dropped, ${stats.pending} pending`;
}
