import { z } from 'zod';
import { recordChange, type Actor } from '../audit/record-change';
import type { Context } from '../context';
import { updateRule } from './update-rule';

export const UpdateRuleBody = z.strictObject({ params: z.record(z.string(), z.unknown()) });
export type UpdateRuleBody = z.infer<typeof UpdateRuleBody>;

/** PUT /api/v1/rules/{id}: saves the parameters and their audit entry in one transaction. */
export function updateRuleAudited({ ctx, actor, input }: { ctx: Context; actor: Actor; input: { id: string; body: UpdateRuleBody } }) {
  const label = actor.kind === 'system' ? 'authwatch' : actor.label;
  return recordChange(
    ctx,
    actor,
    () => updateRule({ ctx, input: { id: input.id, actor: label, params: input.body.params } }),
    (params) => ({
      action: 'rule.updated',
      target: `rule ${input.id}`,
      detail: { enabled: params.enabled, severity: params.severity, params: JSON.stringify(params).slice(0, 500) },
    }),
  );
}
