import { z } from 'zod';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { AlertStatus, changeAlertStatus } from '../detection/alert-lifecycle';
import type { AlertChange } from '../detection/detection-store';
import { getConfig } from '../config';
import { notificationTargets, targetNames } from '../notifications/deliver-notifications';
import { toAlertView } from './alert-view';

export const ChangeAlertInput = z
  .strictObject({ status: AlertStatus.optional(), note: z.string().trim().min(1).max(2000).optional() })
  .refine((input) => input.status !== undefined || input.note !== undefined, 'give a status, a note, or both');
export type ChangeAlertInput = z.infer<typeof ChangeAlertInput>;

const ACTIONS: Record<AlertStatus, AlertChange['action']> = { open: 'reopened', acknowledged: 'acknowledged', resolved: 'resolved' };

/**
 * `PATCH /api/v1/alerts/{id}` (MANAGER and above; the caller checks the role):
 * acknowledge, resolve or reopen an alert, with an optional note, recorded in
 * its history under the actor's name. A note alone annotates it.
 */
export function changeAlert({ ctx, input }: { ctx: Context; input: { id: number; actor: string; change: unknown } }) {
  const parsed = ChangeAlertInput.safeParse(input.change);
  if (!parsed.success) throw new AuthwatchError('ERR_INVALID_INPUT', z.prettifyError(parsed.error));
  const { status, note } = parsed.data;
  const changed = ctx.store.changeAlert(input.id, (alert) => {
    const changes = status !== undefined && status !== alert.status;
    return {
      alert: changes ? { ...changeAlertStatus(alert, status, ctx.now), id: alert.id } : { ...alert, updatedAt: ctx.now },
      entry: { actor: input.actor, action: changes ? ACTIONS[status] : 'annotated', note },
      // Resolving tells the targets; reopening fires again. Acknowledging is authwatch's own business.
      notify: changes && status !== 'acknowledged' ? { kind: status === 'resolved' ? 'resolved' : 'firing', targets: targetNames(notificationTargets(getConfig(), '')) } : undefined,
    };
  });
  if (!changed) throw new AuthwatchError('ERR_ALERT_UNKNOWN', 'no such alert');
  return toAlertView(changed);
}
