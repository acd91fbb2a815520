import { recordChange, type Actor } from '../audit/record-change';
import type { Context } from '../context';
import { changeAlert, type ChangeAlertInput } from './change-alert';

const AUDIT_ACTIONS = { open: 'alert.reopened', acknowledged: 'alert.acknowledged', resolved: 'alert.resolved' } as const;

/** PATCH /api/v1/alerts/{id}: the change, in the alert's history under the actor's name and in the audit log, in one transaction. */
export function changeAlertAudited({ ctx, actor, input }: { ctx: Context; actor: Actor; input: { id: number; change: ChangeAlertInput } }) {
  const label = actor.kind === 'system' ? 'authwatch' : actor.label;
  return recordChange(
    ctx,
    actor,
    () => changeAlert({ ctx, input: { id: input.id, actor: label, change: input.change } }),
    (alert) => ({
      action: input.change.status ? AUDIT_ACTIONS[input.change.status] : 'alert.annotated',
      target: `alert ${alert.id}`,
      detail: { rule: alert.rule, status: alert.status, noted: input.change.note !== undefined },
    }),
  );
}
