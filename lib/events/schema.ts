import { isIP } from 'node:net';
import { z } from 'zod';
import { EVENT_TYPES, REASONS_BY_TYPE, isFailureType, type EventType } from './catalog';

/**
 * Event format v1 (PRODUCT.md). Every object is strict (an unknown field is an
 * error that names it), every string and array is bounded, and the reason must
 * belong to the type. Strings are otherwise kept as sent: they are evidence.
 */
const text = (max: number) => z.string().max(max);
const rfc3339 = z.iso.datetime({ offset: true, local: false });
/** JWT NumericDate (seconds) or an RFC 3339 timestamp. */
const claimTime = z.union([z.number().int().min(0).max(253_402_300_799), rfc3339]);

export const SERVICE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const ServiceName = z.string().regex(SERVICE_NAME_PATTERN, 'must match [a-z0-9][a-z0-9._-]{0,62}');

const IpAddress = z
  .string()
  .max(64)
  .refine((value) => isIP(value) !== 0, 'must be a valid IPv4 or IPv6 address')
  .transform((value) => value.toLowerCase());

export const EventSource = z.strictObject({
  ip: IpAddress.optional(),
  user_agent: text(512).optional(),
});

export const EventActor = z.strictObject({
  subject: text(256).optional(),
  username: text(256).optional(),
  client_id: text(256).optional(),
  roles: z.array(text(256)).max(64).optional(),
  scopes: z.array(text(256)).max(64).optional(),
});

export const EventTarget = z.strictObject({
  method: text(16).optional(),
  path: text(2048)
    .transform((path) => path.replace(/[?#].*$/s, ''))
    .optional(),
  service: text(256).optional(),
  required: z.array(text(256)).max(64).optional(),
});

export const EventToken = z.strictObject({
  jti: text(256).optional(),
  kid: text(256).optional(),
  alg: text(32).optional(),
  issuer: text(512).optional(),
  audience: z.union([text(512), z.array(text(512)).max(16)]).optional(),
  issued_at: claimTime.optional(),
  expires_at: claimTime.optional(),
});

export const EventTls = z.strictObject({
  client_subject: text(512).optional(),
  client_fingerprint: text(256).optional(),
});

export const EventAttributes = z
  .record(text(64), z.union([text(1024), z.number(), z.boolean()]))
  .refine((attributes) => Object.keys(attributes).length <= 16, 'at most 16 attributes');

export const Event = z
  .strictObject({
    id: z.string().min(1).max(128).optional(),
    time: rfc3339,
    service: ServiceName.optional(),
    type: z.enum(EVENT_TYPES),
    reason: z.string().max(64).optional(),
    source: EventSource.optional(),
    actor: EventActor.optional(),
    target: EventTarget.optional(),
    token: EventToken.optional(),
    tls: EventTls.optional(),
    scheme: z.enum(['https', 'http']).optional(),
    trace_id: text(64).optional(),
    attributes: EventAttributes.optional(),
  })
  .superRefine((event, context) => {
    const problem = reasonProblem(event.type, event.reason);
    if (problem) context.addIssue({ code: 'custom', path: ['reason'], message: problem });
  });
export type Event = z.infer<typeof Event>;

function reasonProblem(type: EventType, reason: string | undefined): string | undefined {
  if (!isFailureType(type)) {
    return reason === undefined ? undefined : `not allowed for type ${type}`;
  }
  const allowed: readonly string[] = REASONS_BY_TYPE[type];
  if (reason === undefined) return `required for type ${type}`;
  return allowed.includes(reason) ? undefined : `must be one of ${allowed.join(', ')}`;
}
