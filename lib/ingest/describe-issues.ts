import type { z } from 'zod';
import type { EventErrorCode } from '../errors';
import { redactText } from '../events/secret-scanner';
import { escapeUnsafeCharacters } from '../text';

/**
 * Per-event error messages. A field name comes from the client and can be
 * anything, a leaked credential included (an attribute named after a key, a
 * typo that holds a token): it is echoed only when it reads like a field name,
 * and otherwise described by its length.
 */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const MAX_DIGITS = 4;
const MAX_UNKNOWN_LISTED = 3;
export const MAX_MESSAGE_LENGTH = 200;

export type EventProblem = { code: EventErrorCode; message: string };

export function safeFieldName(segment: PropertyKey): string {
  if (typeof segment === 'number') return String(segment);
  const name = String(segment);
  const digits = name.replace(/\D/g, '').length;
  if (FIELD_NAME.test(name) && digits <= MAX_DIGITS && redactText(name).redactions === 0) return name;
  return `<a name of ${name.length} characters>`;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(safeFieldName).join('.') : 'event';
}

function capped(message: string): string {
  const safe = escapeUnsafeCharacters(message);
  return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}

export function describeIssues(error: z.ZodError): EventProblem {
  const unknown = error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const listed = unknown.keys.slice(0, MAX_UNKNOWN_LISTED).map((key) => `'${pathOf([...unknown.path, key])}'`);
    const more = unknown.keys.length - listed.length;
    return { code: 'ERR_EVENT_UNKNOWN_FIELD', message: capped(`unknown field ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`) };
  }
  const message = error.issues
    .slice(0, 3)
    .map((issue) => `${pathOf(issue.path)}: ${issue.message}`)
    .join('; ');
  return { code: 'ERR_EVENT_INVALID', message: capped(message) };
}
