import type { AlertKey } from './alert-key';
import type { DetectionEvent } from './detection-event';
import type { EvidenceEvent } from './rule';

/**
 * One key's memory in a windowed rule: its recent matching events sorted by
 * event time, and the spans of event time its alert already covers.
 *
 * Windows are closed: events exactly `windowMs` apart fall in one window.
 * An incident is the span from its first to its last reported event; an
 * event within `windowMs` of an incident continues it (it is reported without
 * a new threshold crossing), so an attack that slows down still counts.
 */
export type WindowEntry = {
  time: number;
  seq: number;
  id: string;
  service: string;
  /** What distinct counting counts (a username, an IP), or a fact for the summary (a reason). */
  value?: string;
  /** Already attributed to an alert: never attributed again. */
  reported?: true;
};

export type Incident = [from: number, to: number];

export type KeyWindow = { keyId: string; key: AlertKey; entries: WindowEntry[]; incidents: Incident[]; lastSeq: number; touchedAt: number };

/** Enough to keep a key with an attack long ago and one now apart, few enough to stay small. */
export const MAX_INCIDENTS_PER_KEY = 4;

export function toEntry(event: DetectionEvent, value?: string): WindowEntry {
  const entry: WindowEntry = { time: event.time, seq: event.seq, id: event.id, service: event.service };
  if (value !== undefined) entry.value = value;
  return entry;
}

export function toEvidence(entry: WindowEntry): EvidenceEvent {
  return { seq: entry.seq, id: entry.id, time: entry.time, service: entry.service };
}

/** The same event stored again (same service and id), or the same row evaluated again (same seq). */
export function holdsEvent(window: KeyWindow, event: DetectionEvent): boolean {
  return window.entries.some((entry) => entry.seq === event.seq || (entry.id === event.id && entry.service === event.service));
}

/** Inserts in (time, seq) order; returns the entry's index. */
export function insertEntry(window: KeyWindow, entry: WindowEntry): number {
  const entries = window.entries;
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = entries[middle];
    if (other.time < entry.time || (other.time === entry.time && other.seq < entry.seq)) low = middle + 1;
    else high = middle;
  }
  entries.splice(low, 0, entry);
  return low;
}

/** The largest count (or number of distinct values) over the closed windows of length `windowMs` that contain entries[index]. */
export function busiestWindowAround(
  entries: readonly WindowEntry[],
  index: number,
  windowMs: number,
  distinct: boolean,
): { from: number; to: number; measure: number } {
  const time = entries[index].time;
  let start = index;
  while (start > 0 && entries[start - 1].time >= time - windowMs) start -= 1;
  const valueCounts = new Map<string, number>();
  // Distinct counting counts values; an entry without one (a replayed rejection without an IP) counts for none.
  const add = (entry: WindowEntry) => {
    if (entry.value !== undefined) valueCounts.set(entry.value, (valueCounts.get(entry.value) ?? 0) + 1);
  };
  let best = { from: start, to: index, measure: 0 };
  let end = start;
  for (let first = start; first <= index; first += 1) {
    while (end < entries.length && entries[end].time <= entries[first].time + windowMs) add(entries[end++]);
    const measure = distinct ? valueCounts.size : end - first;
    if (measure > best.measure) best = { from: first, to: end - 1, measure };
    const leaving = entries[first].value;
    if (leaving === undefined) continue;
    const left = (valueCounts.get(leaving) ?? 0) - 1;
    if (left === 0) valueCounts.delete(leaving);
    else valueCounts.set(leaving, left);
  }
  return best;
}

export function incidentAround(window: KeyWindow, time: number, windowMs: number): Incident | undefined {
  return window.incidents.find(([from, to]) => time >= from - windowMs && time <= to + windowMs);
}

/** Widens the incidents to cover [from, to], merging those that now lie within `windowMs` of each other. */
export function coverSpan(window: KeyWindow, from: number, to: number, windowMs: number): void {
  const spans = [...window.incidents, [from, to] as Incident].sort((a, b) => a[0] - b[0]);
  const merged: Incident[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1] + windowMs) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  // The incidents that ended longest ago go first.
  window.incidents = merged.sort((a, b) => b[1] - a[1]).slice(0, MAX_INCIDENTS_PER_KEY);
}

/**
 * Marks as reported, and returns, every unreported entry within `windowMs` of
 * an incident. Entries are replaced, never changed: a state's copy shares them.
 */
export function reportNearIncidents(window: KeyWindow, windowMs: number): WindowEntry[] {
  const reported: WindowEntry[] = [];
  window.entries.forEach((entry, index) => {
    if (entry.reported || !incidentAround(window, entry.time, windowMs)) return;
    window.entries[index] = { ...entry, reported: true };
    reported.push(entry);
  });
  return reported;
}

/** Keeps the `max` entries that arrived last (highest seq): a backfill keeps its own events together. */
export function capEntries(window: KeyWindow, max: number): void {
  // Usually one over (the event just placed): dropping the earliest arrival is one scan, no sort.
  while (window.entries.length > max) {
    let earliest = 0;
    for (let index = 1; index < window.entries.length; index += 1) {
      if (window.entries[index].seq < window.entries[earliest].seq) earliest = index;
    }
    window.entries.splice(earliest, 1);
  }
}
