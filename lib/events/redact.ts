import { createHmac } from 'node:crypto';
import type { Event } from './schema';
import { mayHoldSecret, redactText, scanBudget, type ScanBudget } from './secret-scanner';

export { redactText, scanBudget, type RedactionResult, type ScanBudget } from './secret-scanner';

/**
 * The token-leakage guard. Services sometimes log what they should not: a raw
 * JWT in a user agent, a bearer header in an attribute, `password=` in a path,
 * a whole ingest key as an attribute's name. Every string of an event, and
 * every attribute name and value, is checked against the catalogue of
 * credential shapes (credential-shapes.ts, provider-token-shapes.ts) before the
 * event is stored or counted, and each replacement is counted so the leak
 * itself becomes visible.
 */

/**
 * Attribute keys whose values are credentials whatever they look like, matched
 * on whole words of the key (`db_password`, `dbPassword`, `set-cookie`), so
 * `mfa_passed` or `bypass` are not.
 */
const SECRET_KEY_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'passcode',
  'pass',
  'pwd',
  'secret',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'apikey',
  'sessionid',
  'jsessionid',
  'phpsessid',
  'sid',
]);
/** Multi-word names, and any key ending in `token` (`token`, `csrf_token`) but not `token_type`. */
const SECRET_KEY_PHRASES = /(?:^|_)(?:api_key|private_key|client_secret|secret_key|access_key|session_id)(?:_|$)|(?:^|_)token$/;

export function isSecretKey(key: string): boolean {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return SECRET_KEY_PHRASES.test(snake) || snake.split('_').some((word) => SECRET_KEY_WORDS.has(word));
}

/**
 * What a secret-looking event id is stored as: a keyed digest, the same for
 * the same id, so a retry is still recognised as a duplicate; without the
 * install's key nobody can test a guess against it.
 */
export function digestEventId(id: string, key: Uint8Array): string {
  return `hmac-sha256:${createHmac('sha256', key).update(id, 'utf8').digest('base64url')}`;
}

const REDACTED_VALUE = '[REDACTED:secret]';
/** Fields whose format is closed (an enum, RFC 3339, a service name): they cannot hold a credential. */
const CLOSED_FIELDS = new Set(['id', 'time', 'service', 'type', 'reason', 'scheme', 'attributes']);

function redactAttributes(attributes: NonNullable<Event['attributes']>, budget: ScanBudget): { attributes: Event['attributes']; redactions: number } {
  let redactions = 0;
  const result: NonNullable<Event['attributes']> = {};
  for (const [key, value] of Object.entries(attributes)) {
    let kept = value;
    if (isSecretKey(key)) {
      kept = REDACTED_VALUE;
      redactions += 1;
    } else if (typeof value === 'string' && mayHoldSecret(value)) {
      const redacted = redactText(value, budget);
      kept = redacted.value;
      redactions += redacted.redactions;
    }
    const name = redactText(key, budget);
    redactions += name.redactions;
    // Two names redacted alike keep both values.
    let unique = name.value;
    for (let copy = 2; Object.hasOwn(result, unique); copy++) unique = `${name.value}#${copy}`;
    result[unique] = kept;
  }
  return { attributes: result, redactions };
}

function redactStrings(holder: Record<string, unknown>, skip: ReadonlySet<string> | undefined, budget: ScanBudget): number {
  let redactions = 0;
  // for…in and the cheap first look before redactText: most strings are clean, and this runs for every one.
  for (const key in holder) {
    if (skip?.has(key)) continue;
    const value = holder[key];
    if (typeof value === 'string') {
      if (!mayHoldSecret(value)) continue;
      const redacted = redactText(value, budget);
      holder[key] = redacted.value;
      redactions += redacted.redactions;
    } else if (value !== null && typeof value === 'object') {
      redactions += redactStrings(value as Record<string, unknown>, undefined, budget);
    }
  }
  return redactions;
}

/**
 * Redacts every string in a validated event in place, attribute names
 * included, replaces an id that holds a credential by its keyed digest, and
 * returns how many values were replaced. `budget` bounds the scanning a whole
 * batch may cause (secret-scanner.ts).
 */
export function redactEvent(event: Event, idKey: Uint8Array, budget: ScanBudget = scanBudget(1)): number {
  let redactions = redactStrings(event as unknown as Record<string, unknown>, CLOSED_FIELDS, budget);
  if (event.attributes) {
    const redacted = redactAttributes(event.attributes, budget);
    event.attributes = redacted.attributes;
    redactions += redacted.redactions;
  }
  if (event.id !== undefined && mayHoldSecret(event.id) && redactText(event.id, budget).redactions > 0) {
    event.id = digestEventId(event.id, idKey);
    redactions += 1;
  }
  return redactions;
}
