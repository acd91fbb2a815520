import 'server-only';
import { z } from 'zod';
export { parseInput } from '../parse-input';
import { actorOf, authorizeRequest, type Principal } from '../auth/authorize-request';
import type { Route } from '../auth/access';
import type { Actor } from '../audit/record-change';
import { getConfig } from '../config';
import type { Context } from '../context';
import { recordDoorEvents, type DoorEvent } from '../door/record-door-events';
import { parseInput } from '../parse-input';
import { requestContext } from '../request-context';
import { defaultBaseUrl } from '../users/first-run';
import { errorResponse } from '../response';
import { readJsonBody } from './read-json-body';
import { requestMeta, type RequestMeta } from './request-meta';

export type ApiCall<Body> = {
  ctx: Context;
  meta: RequestMeta;
  /** Null on routes open to anyone. */
  principal: Principal | null;
  body: Body;
  /** Queues door events (sign-in, token rejections); stored before the response is sent. */
  record: (events: DoorEvent[]) => void;
};

/** The member making a call on a member route (the access table guarantees there is one). */
export function memberOf(call: ApiCall<unknown>): Principal {
  if (!call.principal) throw new Error('this route is open to anyone: it has no member');
  return call.principal;
}

/** Who a change on a member route is recorded as, in the audit log. */
export function actorOfCall(call: ApiCall<unknown>): Actor {
  return actorOf(memberOf(call), call.meta);
}

/** Where a setup link made by this call should point: the address the caller reached authwatch at. */
export function baseUrlOfCall(call: ApiCall<unknown>): string {
  return call.meta.origin ?? defaultBaseUrl();
}

/** The public id of an ingest key or API token: 12 hex digits. */
export const CredentialId = z.string().regex(/^[0-9a-f]{12}$/, 'must be 12 hex digits');

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Every API route handler but ingest's runs through here: authorize against the
 * route's entry in the access table, read and validate the JSON body, run the
 * handler, and turn any failure into the one JSON error shape. Door events the
 * call queued are stored before it answers, so they are durable when it has.
 */
export async function handleApi<Schema extends z.ZodType = z.ZodUnknown>(
  request: Request,
  route: Route,
  handler: (call: ApiCall<z.infer<Schema>>) => Response | Promise<Response>,
  bodySchema?: Schema,
): Promise<Response> {
  const ctx = requestContext();
  const events: DoorEvent[] = [];
  const record = (queued: DoorEvent[]) => void events.push(...queued);
  try {
    const meta = requestMeta(request.headers, getConfig());
    const path = new URL(request.url).pathname;
    const principal = authorizeRequest({ ctx, route, input: { method: request.method, path, headers: request.headers, meta, record } });
    let body: unknown = undefined;
    if (bodySchema && BODY_METHODS.has(request.method)) body = parseInput(bodySchema, await readJsonBody(request));
    return await handler({ ctx, meta, principal, body: body as z.infer<Schema>, record });
  } catch (error) {
    return errorResponse(error, request.headers.get('x-request-id'));
  } finally {
    await recordDoorEvents(ctx, events);
  }
}
