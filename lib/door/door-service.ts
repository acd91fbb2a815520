/** The service authwatch's own sign-in events belong to (record-door-events.ts); reserved, so no ingest key can post as it. */
export const DOOR_SERVICE = 'authwatch';
