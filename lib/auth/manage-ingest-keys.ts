import { z } from 'zod';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { DOOR_SERVICE } from '../door/door-service';
import { ServiceName } from '../events/schema';
import { generateIngestKey, hashIngestSecret } from './ingest-key-format';

const DURATION_UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90d`, `12h`, `30m`: how long a new key lives. */
export const KeyLifetime = z
  .string()
  .regex(/^[1-9]\d{0,4}[mhd]$/, 'use a whole number followed by m, h or d, e.g. 90d')
  .transform((text) => Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.at(-1) as keyof typeof DURATION_UNITS_MS]);

export const CreateIngestKeyInput = z.object({ service: ServiceName, expires: KeyLifetime.optional() });
export type CreateIngestKeyInput = z.input<typeof CreateIngestKeyInput>;

export type CreatedIngestKey = { id: string; service: string; key: string; expiresAt: number | null };

/** Creates a key for a registered service. The key is returned once and never stored. */
export function createIngestKey({ ctx, input }: { ctx: Context; input: CreateIngestKeyInput }): CreatedIngestKey {
  const parsed = CreateIngestKeyInput.safeParse(input);
  if (!parsed.success) throw new AuthwatchError('ERR_INVALID_INPUT', z.prettifyError(parsed.error));
  if (parsed.data.service === DOOR_SERVICE) {
    throw new AuthwatchError('ERR_SERVICE_RESERVED', `${DOOR_SERVICE} records its own sign-in events; no key can speak for it`);
  }
  const service = ctx.store.findServiceByName(parsed.data.service);
  if (!service) throw new AuthwatchError('ERR_SERVICE_UNKNOWN', `no service named ${parsed.data.service}; add it first`);
  const generated = generateIngestKey();
  const expiresAt = parsed.data.expires === undefined ? null : ctx.now + parsed.data.expires;
  ctx.store.insertIngestKey({
    id: generated.id,
    serviceId: service.id,
    secretHash: hashIngestSecret(generated),
    createdAt: ctx.now,
    expiresAt,
  });
  return { id: generated.id, service: service.name, key: generated.key, expiresAt };
}

export type IngestKeySummary = {
  id: string;
  service: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  status: 'active' | 'expired' | 'revoked';
};

export function listIngestKeys({ ctx }: { ctx: Context }): IngestKeySummary[] {
  return ctx.store.listIngestKeys().map((key) => ({
    id: key.id,
    service: key.serviceName,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    status: key.revokedAt !== null ? 'revoked' : key.expiresAt !== null && key.expiresAt <= ctx.now ? 'expired' : 'active',
  }));
}

export function revokeIngestKey({ ctx, input }: { ctx: Context; input: { id: string } }): void {
  const key = ctx.store.findIngestKey(input.id);
  if (!key) throw new AuthwatchError('ERR_KEY_UNKNOWN', 'no ingest key has that id');
  ctx.store.revokeIngestKey(input.id, ctx.now);
}
