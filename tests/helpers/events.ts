import { randomUUID } from 'node:crypto';

/** A valid v1 event (PRODUCT.md) with a unique id and the current time; `overrides` replace top-level fields. */
export type TestEvent = Record<string, unknown> & { id: string; time: string; type: string };

export function makeEvent(overrides: Record<string, unknown> = {}): TestEvent {
  return {
    id: `evt-${randomUUID()}`,
    time: new Date().toISOString(),
    type: 'login.failure',
    reason: 'bad_credentials',
    source: { ip: '203.0.113.7', user_agent: 'integration-test/1.0' },
    actor: { username: 'alice@example.com' },
    target: { method: 'POST', path: '/login' },
    ...overrides,
  };
}

export function makeEvents(count: number, overrides: Record<string, unknown> = {}): TestEvent[] {
  return Array.from({ length: count }, () => makeEvent(overrides));
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export function isoAgo(ms: number): string {
  return new Date(Date.now() - ms).toISOString();
}
