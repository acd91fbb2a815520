import { applyFinding, resolveIfQuiet, type Alert } from './alert-lifecycle';
import type { DetectionEvent } from './detection-event';
import type { Rule, RuleState } from './rule';
import type { CommonParams } from './rule-params';

/**
 * How the live engine meets events: in small batches, soon after they are
 * stored. A replay cuts batches the same way, so auto-resolution happens
 * between them as it would have.
 */
export const BACKTEST_BATCH_EVENTS = 1000;
export const BACKTEST_BATCH_SPAN_MS = 10_000;

export type BacktestResult = {
  /** Every alert the rule would have raised, in the order opened, as they would stand after the last event. */
  alerts: Alert[];
  events: number;
};

/**
 * Runs one rule with the given parameters over stored events (in ascending
 * seq order, streamed: only one batch is held at a time) and returns the
 * alerts it would have raised, starting from empty state. Each batch is
 * evaluated with the engine clock at the receipt of its last event. `enabled`
 * is ignored: a disabled rule can be tried before it is switched on.
 */
export function backtestRule<Params extends CommonParams>(rule: Rule<Params>, params: Params, events: Iterable<DetectionEvent>): BacktestResult {
  const alerts: Alert[] = [];
  const latestByKey = new Map<string, number>();
  let state: RuleState | undefined;
  let clock = 0;
  let count = 0;
  let batch: DetectionEvent[] = [];

  const evaluateBatch = () => {
    if (batch.length === 0) return;
    clock = Math.max(clock, ...batch.map((event) => event.receivedAt));
    const result = rule.evaluate(state, batch, params, clock);
    state = result.state;
    for (const finding of result.findings) {
      const index = latestByKey.get(finding.keyId);
      const applied = applyFinding(index === undefined ? undefined : alerts[index], finding, rule, params, clock);
      if (applied.resolved && index !== undefined) alerts[index] = applied.resolved;
      if (applied.opened) {
        latestByKey.set(finding.keyId, alerts.length);
        alerts.push(applied.alert);
      } else if (index !== undefined) alerts[index] = applied.alert;
    }
    batch = [];
  };

  for (const event of events) {
    count += 1;
    if (batch.length >= BACKTEST_BATCH_EVENTS || (batch.length > 0 && event.receivedAt - batch[0].receivedAt > BACKTEST_BATCH_SPAN_MS)) {
      evaluateBatch();
    }
    batch.push(event);
  }
  evaluateBatch();
  return { alerts: alerts.map((alert) => resolveIfQuiet(alert, params, clock)), events: count };
}
