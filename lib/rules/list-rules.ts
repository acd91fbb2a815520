import { readerOf, type Context } from '../context';
import { RULES } from '../detection/rule-catalog';
import { effectiveParams } from '../detection/run-detection';
import { DAY_MS } from '../time';

/**
 * Every rule with what it is, the parameters it runs with (and its defaults),
 * and the alerts it opened in the last 7 days: `GET /api/v1/rules` and /rules.
 */
export async function listRules({ ctx }: { ctx: Context }) {
  const saved = ctx.store.ruleSettings();
  const params = effectiveParams(saved);
  const opened = await readerOf(ctx).alertsOpenedSince(ctx.now - 7 * DAY_MS);
  return {
    rules: RULES.map((rule) => ({
      id: rule.id,
      title: rule.title,
      description: rule.description,
      attack: rule.attack,
      enabled: params[rule.id].enabled,
      severity: params[rule.id].severity,
      params: params[rule.id],
      defaults: rule.params.parse({}),
      customised: saved[rule.id] !== undefined,
      alerts_last_7_days: opened[rule.id] ?? 0,
    })),
  };
}
