import 'server-only';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { recordChange, type Actor } from '../audit/record-change';
import { addService, type AddServiceInput } from '../services/manage-services';
import type { Service } from '../store/store';
import { ingestKeyLastUses } from './ingest-key-usage';
import {
  createIngestKey,
  listIngestKeys,
  revokeIngestKey,
  type CreateIngestKeyInput,
  type CreatedIngestKey,
  type IngestKeySummary,
} from './manage-ingest-keys';

/**
 * The service and ingest key verbs as people and tokens use them (web, API,
 * CLI): each change runs in one transaction with its audit entry.
 */
export function addServiceAudited({ ctx, actor, input }: { ctx: Context; actor: Actor; input: AddServiceInput }): Service {
  return recordChange(ctx, actor, () => addService({ ctx, input }), (service) => ({ action: 'service.added', target: service.name }));
}

export function createIngestKeyAudited({ ctx, actor, input }: { ctx: Context; actor: Actor; input: CreateIngestKeyInput }): CreatedIngestKey {
  return recordChange(
    ctx,
    actor,
    () => createIngestKey({ ctx, input }),
    (key) => ({ action: 'ingest_key.created', target: key.id, detail: { service: key.service, expiresAt: key.expiresAt } }),
  );
}

export function revokeIngestKeyAudited({ ctx, actor, input }: { ctx: Context; actor: Actor; input: { id: string } }): void {
  recordChange(
    ctx,
    actor,
    () => revokeIngestKey({ ctx, input }),
    () => ({ action: 'ingest_key.revoked', target: input.id }),
  );
}

/** How long a rotated-out key keeps working, for the service to pick up its new key. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

/** A new key for the same service (shown once); the old one expires in 24 hours unless it expires sooner. */
export function rotateIngestKey({
  ctx,
  actor,
  input,
}: {
  ctx: Context;
  actor: Actor;
  input: { id: string; expires?: string };
}): CreatedIngestKey {
  return recordChange(
    ctx,
    actor,
    () => {
      const old = ctx.store.findIngestKey(input.id);
      if (!old) throw new AuthwatchError('ERR_KEY_UNKNOWN', 'no ingest key has that id');
      if (old.revokedAt !== null) throw new AuthwatchError('ERR_INVALID_INPUT', 'this key is revoked; create a new one instead');
      const created = createIngestKey({ ctx, input: { service: old.serviceName, expires: input.expires } });
      ctx.store.accounts.expireIngestKeyBy(old.id, ctx.now + ROTATION_GRACE_MS);
      return created;
    },
    (created) => ({ action: 'ingest_key.rotated', target: input.id, detail: { service: created.service, newKey: created.id } }),
  );
}

export type IngestKeyView = IngestKeySummary & { lastUsedAt: number | null };

export function listIngestKeysWithUse({ ctx }: { ctx: Context }): IngestKeyView[] {
  const uses = ingestKeyLastUses(ctx);
  return listIngestKeys({ ctx }).map((key) => ({ ...key, lastUsedAt: uses.get(key.id) ?? null }));
}
