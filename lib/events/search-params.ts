import { z } from 'zod';
import { AuthwatchError } from '../errors';
import { isIpOrCidr } from '../net/ip-address';
import { parseQueryParams } from '../query-params';
import { EVENT_TYPES, REASON_CODES, type Reason } from './catalog';
import { ServiceName } from './schema';

const REASONS = Object.keys(REASON_CODES) as [Reason, ...Reason[]];
const rfc3339 = z.iso.datetime({ offset: true, local: false }).transform((text) => Date.parse(text));
const values = <T extends z.ZodType>(item: T, max = 20) => z.array(item).max(max).default([]);
const value = z.string().min(1).max(256);

/**
 * The explorer's filters as query parameters (PRODUCT.md, `GET /api/v1/events`):
 * a repeated parameter means any of its values. Every value is bounded and
 * checked here, before any of it reaches a query.
 */
export const EventSearchParams = z.strictObject({
  from: rfc3339.optional(),
  to: rfc3339.optional(),
  type: values(z.enum(EVENT_TYPES)),
  reason: values(z.enum(REASONS), 40),
  service: values(ServiceName, 50),
  ip: values(z.string().max(64).refine(isIpOrCidr, 'must be an IPv4 or IPv6 address or CIDR block')),
  username: values(value),
  subject: values(value),
  client_id: values(value),
  jti: values(value),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(64).optional(),
});
export type EventSearchParams = z.infer<typeof EventSearchParams>;

const LISTS = new Set(['type', 'reason', 'service', 'ip', 'username', 'subject', 'client_id', 'jti']);

/** Reads URL search parameters into EventSearchParams, or throws ERR_QUERY_INVALID naming the first problem. */
export function parseEventSearchParams(search: URLSearchParams): EventSearchParams {
  const parsed = parseQueryParams(EventSearchParams, search, LISTS);
  if (parsed.from !== undefined && parsed.to !== undefined && parsed.from >= parsed.to) {
    throw new AuthwatchError('ERR_QUERY_INVALID', 'from must be before to');
  }
  return parsed;
}
