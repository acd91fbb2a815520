import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeAlertStatus } from '@/lib/detection/alert-lifecycle';
import type { DetectionStore, StoredAlert } from '@/lib/detection/detection-store';
import { runDetection } from '@/lib/detection/run-detection';
import { openSqliteDetection, type SqliteDetection } from '@/lib/store/sqlite/sqlite-detection';
import { DetectionTables } from '@/lib/store/sqlite/detection-tables';
import { storeFailedSignIns } from '@/tests/helpers/failed-sign-ins';
import { HOUR, MINUTE, NOW, createTempStore, openRawDatabase, queryPlan, recordingPrepares, type TempStore } from '@/tests/helpers/temp-store';

const OPTIONS = { synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 } as const;

/** Auto-resolution reads only the alerts whose quiet period has passed, through an index, not every open alert. */
describe('auto-resolve reads only quiet alerts', () => {
  let temp: TempStore;
  let detection: SqliteDetection;
  let gateway: number;
  const attack = (ip: string, time: number) => storeFailedSignIns(temp.store, gateway, { count: 10, time, ip: () => ip });
  /** Each step, the alerts the engine was handed as quiet. */
  let handed: StoredAlert[][] = [];
  const watching = (): DetectionStore =>
    Object.assign(Object.create(Object.getPrototypeOf(detection.store)) as DetectionStore, detection.store, {
      commit: (plan: Parameters<DetectionStore['commit']>[0]) =>
        detection.store.commit((access) => {
          const seen: StoredAlert[] = [];
          handed.push(seen);
          const quietSince: typeof access.quietSince = (rule, before) => {
            const found = access.quietSince(rule, before);
            seen.push(...found);
            return found;
          };
          return plan({ ...access, quietSince });
        }),
    });
  const step = (now: number) => runDetection({ store: watching(), eventsAfter: detection.eventsAfter, now, limit: 1000 });

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    detection = openSqliteDetection({ file: temp.file, ...OPTIONS });
    handed = [];
  });
  afterEach(() => {
    detection.close();
    temp.remove();
  });

  it('hands the engine only the alerts quiet for their period, and resolves them', () => {
    attack('203.0.113.1', NOW);
    step(NOW + MINUTE);
    attack('203.0.113.2', NOW + 30 * MINUTE);
    step(NOW + 31 * MINUTE);
    attack('203.0.113.3', NOW + 50 * MINUTE);
    step(NOW + 51 * MINUTE);
    expect(handed.flat()).toEqual([]);
    // An hour after the first alert's last event and opening, not yet after the others'.
    const report = step(NOW + HOUR + 10 * MINUTE);
    expect(handed.at(-1)!.map((alert) => [alert.rule, alert.key])).toEqual([['brute_force_ip', { ip: '203.0.113.1' }]]);
    expect(report.resolved.map((alert) => alert.key)).toEqual([{ ip: '203.0.113.1' }]);
    // Resolved, it is not handed again.
    step(NOW + HOUR + 20 * MINUTE);
    expect(handed.at(-1)).toEqual([]);
  });

  it('restarts the quiet period of a reopened alert from its reopening', () => {
    attack('203.0.113.1', NOW);
    step(NOW + MINUTE);
    const [resolved] = step(NOW + 2 * HOUR).resolved.filter((alert) => alert.rule === 'brute_force_ip');
    const reopenedAt = NOW + 3 * HOUR;
    detection.store.changeAlert(resolved.id, (current) => ({ alert: { ...changeAlertStatus(current, 'open', reopenedAt), id: current.id }, entry: { actor: 'mia@example.com', action: 'reopened' } }));
    expect(step(reopenedAt + 30 * MINUTE).resolved).toEqual([]);
    expect(step(reopenedAt + HOUR).resolved.map((alert) => alert.id)).toEqual([resolved.id]);
  });

  it('reads them through the partial index over unresolved alerts', () => {
    const raw = openRawDatabase(temp.file);
    try {
      const { connection, statements } = recordingPrepares(raw);
      new DetectionTables(connection);
      const quiet = statements.find((sql) => sql.includes('quiet_from <='))!;
      expect(queryPlan(raw, quiet)).toMatch(/USING INDEX alerts_quiet/);
    } finally {
      raw.close();
    }
  });
});
