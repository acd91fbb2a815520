import type { Context } from '../context';

/**
 * Who made a change: a signed-in person, an API token, an operator at the CLI
 * (by OS user name), or authwatch itself (the first-run setup link).
 */
export type Actor =
  | { kind: 'user'; id: number; label: string; ip: string | null }
  | { kind: 'token'; id: string; label: string; ip: string | null }
  | { kind: 'cli'; label: string }
  | { kind: 'system' };

/** Every change the audit log records; closed, so the page's filter offers exactly these. */
export const AUDIT_ACTIONS = [
  'first_admin_link.issued',
  'user.invited',
  'user.created',
  'user.setup_link_issued',
  'user.password_set',
  'user.role_changed',
  'user.disabled',
  'api_token.created',
  'api_token.revoked',
  'service.added',
  'ingest_key.created',
  'ingest_key.revoked',
  'ingest_key.rotated',
  'alert.acknowledged',
  'alert.resolved',
  'alert.reopened',
  'alert.annotated',
  'rule.updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type Change = { action: AuditAction; target: string; detail?: Record<string, string | number | boolean | null> };

function actorColumns(actor: Actor) {
  switch (actor.kind) {
    case 'user':
    case 'token':
      return { actorKind: actor.kind, actorId: String(actor.id), actorLabel: actor.label, ip: actor.ip };
    case 'cli':
      return { actorKind: actor.kind, actorId: actor.label, actorLabel: `cli:${actor.label}`, ip: null };
    case 'system':
      return { actorKind: actor.kind, actorId: null, actorLabel: 'authwatch', ip: null };
  }
}

/** Appends the audit entry of a change; call inside the transaction that makes the change. */
export function appendChange(ctx: Context, actor: Actor, change: Change): void {
  ctx.store.accounts.appendAudit({
    time: ctx.now,
    ...actorColumns(actor),
    action: change.action,
    target: change.target,
    detail: change.detail ? JSON.stringify(change.detail) : null,
  });
}

/**
 * Runs a change and appends its audit entry in one transaction: a change is
 * never stored without its entry, nor an entry without its change. `describe`
 * names the change once `work` has run (an id it created, say). The detail
 * never holds a secret: callers pass names, roles and ids only.
 */
export function recordChange<T>(ctx: Context, actor: Actor, work: () => T, describe: (result: T) => Change): T {
  return ctx.store.accounts.transaction(() => {
    const result = work();
    appendChange(ctx, actor, describe(result));
    return result;
  });
}
