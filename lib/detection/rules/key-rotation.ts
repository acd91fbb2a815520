import type { DetectionEvent } from '../detection-event';

/**
 * When each signing key (kid) was first seen on a token that was accepted or
 * issued. Only those events count: a forged token can carry any kid, but only
 * the authorization server and the services that verified it report a kid on
 * a good token. Bounded to MAX_KIDS, forgetting the kid seen longest ago.
 */
export type KidSighting = { kid: string; firstSeen: number; lastSeen: number };
export type KidSightings = { kids: KidSighting[]; watchedSince: number | null };

export const MAX_KIDS = 256;

const GOOD_TOKEN_TYPES = new Set(['token.issued', 'token.refreshed', 'access.granted']);

export function emptyKidSightings(): KidSightings {
  return { kids: [], watchedSince: null };
}

/** The sightings after these events (a new object; the one passed in is unchanged). */
export function recordKidSightings(before: KidSightings, events: readonly DetectionEvent[], afterSeq: number): KidSightings {
  const kids = new Map(before.kids.map((sighting) => [sighting.kid, { ...sighting }]));
  let watchedSince = before.watchedSince;
  for (const event of events) {
    if (event.seq <= afterSeq || !GOOD_TOKEN_TYPES.has(event.type)) continue;
    watchedSince = watchedSince === null ? event.time : Math.min(watchedSince, event.time);
    if (!event.tokenKid) continue;
    const sighting = kids.get(event.tokenKid);
    if (!sighting) kids.set(event.tokenKid, { kid: event.tokenKid, firstSeen: event.time, lastSeen: event.time });
    else {
      sighting.firstSeen = Math.min(sighting.firstSeen, event.time);
      sighting.lastSeen = Math.max(sighting.lastSeen, event.time);
    }
  }
  const kept = [...kids.values()].sort((a, b) => b.lastSeen - a.lastSeen).slice(0, MAX_KIDS);
  return { kids: kept, watchedSince };
}

/**
 * The kid first seen within `lookbackMs` before `time`, if any. A kid counts
 * as new only when it was first seen at least `lookbackMs` after watching
 * began: right after a fresh start every kid is "first seen".
 */
export function newKidBefore(sightings: KidSightings, time: number, lookbackMs: number): KidSighting | undefined {
  if (sightings.watchedSince === null) return undefined;
  const watchedSince = sightings.watchedSince;
  return sightings.kids
    .filter((sighting) => sighting.firstSeen <= time && sighting.firstSeen >= time - lookbackMs && sighting.firstSeen >= watchedSince + lookbackMs)
    .sort((a, b) => b.firstSeen - a.firstSeen)[0];
}
