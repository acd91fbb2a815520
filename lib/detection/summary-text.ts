import { escapeUnsafeCharacters } from '../text';
import type { AlertKey } from './alert-key';

/**
 * Summaries are built from attacker-controlled values (usernames, IPs as
 * sent, kids). They stay plain strings, rendered as text wherever shown; here
 * a value is only shortened and its control and bidi characters escaped, so
 * it cannot forge a line or reorder what a reader sees in a chat message.
 */
export function shown(value: string | undefined, maxLength = 80): string {
  if (value === undefined) return '?';
  const shortened = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  return escapeUnsafeCharacters(shortened);
}

export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** "203.0.113.7", or "203.0.113.7 at payments" for a key of several fields. */
export function describeKey(key: AlertKey): string {
  const subject = key.ip ?? key.username ?? key.subject ?? key.client_id ?? key.jti;
  if (subject === undefined) return shown(key.service);
  return key.service === undefined ? shown(subject) : `${shown(subject)} at ${shown(key.service)}`;
}
