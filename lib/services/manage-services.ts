import { z } from 'zod';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { ServiceName } from '../events/schema';
import type { Service } from '../store/store';

export const AddServiceInput = z.object({ name: ServiceName });
export type AddServiceInput = z.infer<typeof AddServiceInput>;

/** Registers a service: the bounded set its events, keys and metric labels are drawn from. */
export function addService({ ctx, input }: { ctx: Context; input: AddServiceInput }): Service {
  const parsed = AddServiceInput.safeParse(input);
  if (!parsed.success) throw new AuthwatchError('ERR_INVALID_INPUT', `service name ${z.prettifyError(parsed.error)}`);
  return ctx.store.addService(parsed.data.name, ctx.now);
}

export function listServices({ ctx }: { ctx: Context }): Service[] {
  return ctx.store.listServices();
}
