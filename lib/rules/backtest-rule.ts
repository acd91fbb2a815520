import { z } from 'zod';
import { readerOf, type Context } from '../context';
import { AuthwatchError } from '../errors';
import { effectiveParams } from '../detection/run-detection';
import type { BacktestOutcome } from '../store/store';
import { DAY_MS } from '../time';
import { proposedParams, ruleNamed } from './update-rule';

export const BacktestInput = z.strictObject({ params: z.unknown(), days: z.number().int().min(1).max(30).default(7) });
export type BacktestInput = z.infer<typeof BacktestInput>;

/** At most this many stored events are replayed per run; the answer says when it stopped there. */
const MAX_EVENTS = 2_000_000;
const KEYS_SHOWN = 50;

function summarise(outcome: BacktestOutcome) {
  return {
    events: outcome.events,
    truncated: outcome.truncated,
    alerts: outcome.alerts.length,
    keys: outcome.alerts.slice(0, KEYS_SHOWN).map((alert) => ({
      key: alert.key,
      count: alert.count,
      first_seen: new Date(alert.firstSeen).toISOString(),
      last_seen: new Date(alert.lastSeen).toISOString(),
      summary: alert.summary,
    })),
  };
}

/**
 * `POST /api/v1/rules/{id}/backtest` (MANAGER and above): replays the stored
 * events of the last `days` days through the rule with the proposed
 * parameters and with the current ones, on the reader threads, so a manager
 * sees what a change would do before saving it.
 */
export async function backtestRule({ ctx, input }: { ctx: Context; input: { id: string; body: unknown } }) {
  const rule = ruleNamed(input.id);
  const parsed = BacktestInput.safeParse(input.body);
  if (!parsed.success) throw new AuthwatchError('ERR_INVALID_INPUT', z.prettifyError(parsed.error));
  const proposed = proposedParams(rule, parsed.data.params ?? {});
  const current = effectiveParams(ctx.store.ruleSettings())[rule.id];
  const span = { rule: rule.id, since: ctx.now - parsed.data.days * DAY_MS, until: ctx.now, maxEvents: MAX_EVENTS };
  const reader = readerOf(ctx);
  const [withProposed, withCurrent] = await Promise.all([reader.backtest({ ...span, params: proposed }), reader.backtest({ ...span, params: current })]);
  return { rule: rule.id, days: parsed.data.days, proposed: summarise(withProposed), current: summarise(withCurrent) };
}
