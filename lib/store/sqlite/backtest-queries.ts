import { backtestRule, type BacktestResult } from '../../detection/backtest';
import { toDetectionEvent, type DetectionEvent } from '../../detection/detection-event';
import { ruleById } from '../../detection/rule-catalog';
import type { RuleId } from '../../detection/rule';
import type { CommonParams } from '../../detection/rule-params';
import { dayOf } from '../../time';
import type { StoredEvent } from '../store';
import type { EventQueries } from './event-queries';
import type { PartitionCatalog } from './partition-catalog';

const PAGE = 5_000;

/**
 * Replays the stored events of [since, until) through one rule, in sequence
 * order as the engine met them, one page per read transaction (a long replay
 * must not hold one snapshot, which would keep the WAL from being
 * checkpointed). At most `maxEvents` are replayed; `truncated` says so.
 */
export function backtestStored(
  events: EventQueries,
  catalog: PartitionCatalog,
  snapshot: <T>(read: () => T) => T,
  input: { rule: RuleId; params: CommonParams; since: number; until: number; maxEvents: number },
): BacktestResult & { truncated: boolean } {
  const startAfter = snapshot(() => {
    const firsts = catalog
      .days()
      .filter((day) => day >= dayOf(input.since))
      .map((day) => catalog.seqRange(day)?.first)
      .filter((seq): seq is number => seq !== undefined);
    return firsts.length > 0 ? Math.min(...firsts) - 1 : (events.after(0, 1)[0]?.sequence ?? 1) - 1;
  });
  let truncated = false;
  function* replay(): Generator<DetectionEvent> {
    let after = startAfter;
    let replayed = 0;
    for (;;) {
      const page: StoredEvent[] = snapshot(() => events.after(after, PAGE));
      for (const stored of page) {
        if (stored.time < input.since || stored.time >= input.until) continue;
        const event = toDetectionEvent(stored);
        if (!event) continue;
        if (replayed++ >= input.maxEvents) {
          truncated = true;
          return;
        }
        yield event;
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1].sequence;
    }
  }
  const result = backtestRule(ruleById(input.rule), input.params, replay());
  return { ...result, truncated };
}
