import { z } from 'zod';
import { AuthwatchError } from './errors';

/**
 * Reads URL search parameters into `schema`: a parameter named in `lists` may
 * repeat (any of its values); any other takes its last value. Throws
 * ERR_QUERY_INVALID naming the first problem; a parameter name the client
 * made up is shown bounded and in a safe alphabet, never as sent.
 */
export function parseQueryParams<Schema extends z.ZodType>(schema: Schema, search: URLSearchParams, lists: ReadonlySet<string>): z.infer<Schema> {
  const raw: Record<string, string | string[]> = {};
  for (const name of new Set(search.keys())) raw[name] = lists.has(name) ? search.getAll(name) : (search.getAll(name).at(-1) ?? '');
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const names = issue.code === 'unrecognized_keys' ? issue.keys : issue.path.map(String);
  const where = names.map((part) => part.replace(/[^A-Za-z0-9_.-]/g, '?').slice(0, 40)).join(', ');
  throw new AuthwatchError('ERR_QUERY_INVALID', `${where || 'query'}: ${issue.code === 'unrecognized_keys' ? 'unknown parameter' : issue.message}`);
}
