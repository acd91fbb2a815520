import { z } from 'zod';
import { AuthwatchError } from './errors';

/** Parses input from outside (a body, a path parameter, a CLI argument) with `schema`, or throws 400 ERR_INVALID_INPUT. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AuthwatchError('ERR_INVALID_INPUT', z.prettifyError(parsed.error));
  return parsed.data;
}
