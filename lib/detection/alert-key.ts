import type { DetectionEvent } from './detection-event';

/**
 * The grouping values of an alert, named as the alerts API and the events
 * explorer name them. A rule fills the fields its grouping uses; there is one
 * open alert per rule and key.
 */
export type KeyField = 'ip' | 'username' | 'subject' | 'client_id' | 'jti' | 'service';
export type AlertKey = Partial<Record<KeyField, string>>;

const KEY_FIELD_ORDER: readonly KeyField[] = ['service', 'ip', 'username', 'subject', 'client_id', 'jti'];

/** One string per key, the same for equal keys whatever order their fields were set in. */
export function keyIdOf(key: AlertKey): string {
  let id = '';
  for (const field of KEY_FIELD_ORDER) {
    const value = key[field];
    // JSON quoting keeps the value's own commas and colons from running into the next field.
    if (value !== undefined) id += `${id === '' ? '' : ','}${field}:${JSON.stringify(value)}`;
  }
  return id;
}

/** The event's value for a key field, or null when the event does not carry it. */
export function keyValueOf(event: DetectionEvent, field: KeyField): string | null {
  switch (field) {
    case 'ip':
      return event.ip;
    case 'username':
      return event.username;
    case 'subject':
      return event.subject;
    case 'client_id':
      return event.clientId;
    case 'jti':
      return event.jti;
    case 'service':
      return event.service;
  }
}

/** The key made of these fields, or null when the event lacks one of them. */
export function keyOf(event: DetectionEvent, fields: readonly KeyField[]): AlertKey | null {
  const key: AlertKey = {};
  for (const field of fields) {
    const value = keyValueOf(event, field);
    if (value === null || value === '') return null;
    key[field] = value;
  }
  return key;
}

/**
 * How a rule groups its alerts: alternatives in order of preference, each a
 * list of key fields ("client_id, else ip" is [['client_id'], ['ip']]).
 */
export type Grouping = readonly (readonly KeyField[])[];

/** The key of the first alternative the event carries every field of, or null. */
export function keyFor(event: DetectionEvent, grouping: Grouping): AlertKey | null {
  for (const fields of grouping) {
    const key = keyOf(event, fields);
    if (key) return key;
  }
  return null;
}
