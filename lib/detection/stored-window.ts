import type { AlertKey } from './alert-key';
import type { Incident, KeyWindow, WindowEntry } from './key-window';
import type { KeyStanding } from './keyed-windows';

/**
 * A key's window as the engine stores it, one row per rule and key: what the
 * caps read in columns, the rest in a compact body. `rowId` is the engine's
 * own: a new key takes the row of a key the same step forgot (at the cap, one
 * write instead of a delete and an insert), else a new row at the end.
 */
export type StoredWindow = KeyStanding & { rowId: number; body: string };

/** An entry as an array: [time, seq, id, service, value or null, 1 when reported]. */
type EncodedEntry = [number, number, string, string, string | null, 0 | 1];
type EncodedWindow = [AlertKey, EncodedEntry[], Incident[]];

export function encodeWindow(window: KeyWindow): string {
  const entries = window.entries.map((entry): EncodedEntry => [entry.time, entry.seq, entry.id, entry.service, entry.value ?? null, entry.reported ? 1 : 0]);
  return JSON.stringify([window.key, entries, window.incidents] satisfies EncodedWindow);
}

export function decodeWindow(row: Pick<StoredWindow, 'keyId' | 'lastSeq' | 'touchedAt' | 'body'>): KeyWindow {
  const [key, encoded, incidents] = JSON.parse(row.body) as EncodedWindow;
  const entries = encoded.map(([time, seq, id, service, value, reported]) => {
    const entry: WindowEntry = { time, seq, id, service };
    if (value !== null) entry.value = value;
    if (reported === 1) entry.reported = true;
    return entry;
  });
  return { keyId: row.keyId, key, entries, incidents, lastSeq: row.lastSeq, touchedAt: row.touchedAt };
}
