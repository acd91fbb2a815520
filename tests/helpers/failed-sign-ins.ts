import type { SqliteStore } from '@/lib/store/sqlite/sqlite-store';
import { eventRecord } from './temp-store';

let sent = 0;

/**
 * Stores `count` failed sign-ins (bad credentials) at one service, one a
 * second from `time`, as ingest stores them; the i-th from `ip(i)` for
 * `username(i)`. Ids are unique across the test file.
 */
export function storeFailedSignIns(
  store: SqliteStore,
  serviceId: number,
  { count, time, ip = () => '203.0.113.7', username = () => 'alice' }: { count: number; time: number; ip?: (i: number) => string; username?: (i: number) => string },
): void {
  store.insertEvents(
    Array.from({ length: count }, (_, i) =>
      eventRecord({
        id: `f-${sent++}`,
        time: time + i * 1000,
        serviceId,
        type: 2,
        reason: 1,
        ip: ip(i),
        username: username(i),
        document: JSON.stringify({ service: 'gateway', type: 'login.failure', reason: 'bad_credentials', scheme: 'https' }),
      }),
    ),
  );
}
