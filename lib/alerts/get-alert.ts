import { readerOf, type Context } from '../context';
import { AuthwatchError } from '../errors';
import { toAlertDetailView } from './alert-view';

/** `GET /api/v1/alerts/{id}`: the alert with its evidence, history and notifications. */
export async function getAlert({ ctx, input }: { ctx: Context; input: { id: number } }) {
  const alert = Number.isSafeInteger(input.id) && input.id > 0 ? await readerOf(ctx).getAlert(input.id) : undefined;
  if (!alert) throw new AuthwatchError('ERR_ALERT_UNKNOWN', 'no such alert');
  return toAlertDetailView(alert);
}
