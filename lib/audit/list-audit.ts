import { z } from 'zod';
import type { Context } from '../context';
import type { AuditRecord } from '../store/accounts';
import { AUDIT_ACTIONS } from './record-change';

/** RFC 3339; without a zone (what a browser's date-time field sends) it is read as UTC. */
const time = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i, 'use RFC 3339, e.g. 2026-11-28T12:00:00Z')
  .transform((text, context) => {
    const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(text) ? text : `${text}Z`);
    if (Number.isNaN(ms)) context.addIssue({ code: 'custom', message: 'not a real time' });
    return ms;
  });
const text = z.string().trim().min(1).max(256);

/** The audit log's filters, as the page's query string and GET /api/v1/audit take them; blank values mean "any". */
export const AuditFilter = z.object({
  actor: text.optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  target: text.optional(),
  from: time.optional(),
  to: time.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

/** Query parameters to AuditFilter input: blanks dropped, a repeated one taken once. */
export function auditFilterInput(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  return Object.fromEntries(
    entries.map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

export type AuditPage = { entries: AuditRecord[]; nextBefore: number | null };

/** Newest first; `nextBefore` continues with older entries. */
export function listAudit({ ctx, input }: { ctx: Context; input: AuditFilter }): AuditPage {
  const entries = ctx.store.accounts.listAudit({
    beforeId: input.before,
    since: input.from,
    until: input.to,
    actor: input.actor,
    action: input.action,
    target: input.target,
    limit: input.limit,
  });
  return { entries, nextBefore: entries.length === input.limit ? entries[entries.length - 1].id : null };
}
