import { z } from 'zod';
import { parseQueryParams } from '../query-params';
import { AlertStatus } from '../detection/alert-lifecycle';
import { RuleId } from '../detection/rule';
import { Severity } from '../detection/rule-params';
import { ServiceName } from '../events/schema';

const values = <T extends z.ZodType>(item: T, max = 20) => z.array(item).max(max).default([]);

/** `GET /api/v1/alerts` and the alerts page: repeated parameters mean any of their values. */
export const AlertSearchParams = z.strictObject({
  status: values(AlertStatus, 3),
  rule: values(RuleId),
  severity: values(Severity, 4),
  service: values(ServiceName, 50),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type AlertSearchParams = z.infer<typeof AlertSearchParams>;

const LISTS = new Set(['status', 'rule', 'severity', 'service']);

export function parseAlertSearchParams(search: URLSearchParams): AlertSearchParams {
  return parseQueryParams(AlertSearchParams, search, LISTS);
}
