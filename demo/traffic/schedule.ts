import { SCENARIOS } from './scenarios';
import type { Attempt, World } from './world';

/**
 * Runs every attack scenario on a schedule: the first round staggered from
 * `firstDelayMs` so that within a minute of start every kind of event has
 * happened, then each scenario again every `periodMs`. Resolves when the
 * world's signal aborts.
 */
export type ScenarioResult = { scenario: string; round: number; attempts: Attempt[]; error?: string };
export type ScheduleSettings = { firstDelayMs: number; spacingMs: number; periodMs: number; onResult(result: ScenarioResult): void };

export async function runScenarios(world: World, settings: ScheduleSettings): Promise<void> {
  await Promise.all(
    SCENARIOS.map(async (scenario, index) => {
      try {
        await world.pause(settings.firstDelayMs + index * settings.spacingMs);
        for (let round = 1; !world.signal.aborted; round++) {
          try {
            settings.onResult({ scenario: scenario.name, round, attempts: await scenario.run(world) });
          } catch (error) {
            if (world.signal.aborted) return;
            settings.onResult({ scenario: scenario.name, round, attempts: [], error: String(error) });
          }
          await world.pause(settings.periodMs);
        }
      } catch {
        // Aborted while waiting: the demo is stopping.
      }
    }),
  );
}
