import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DetectionStep, DetectionStore, RuleStateWrite } from '@/lib/detection/detection-store';
import { keyIdOf } from '@/lib/detection/alert-key';
import { LATE_ARRIVAL_GRACE_MS, MAX_KEYS } from '@/lib/detection/keyed-windows';
import { RuleStateCache } from '@/lib/detection/rule-state-cache';
import { runDetection } from '@/lib/detection/run-detection';
import { openSqliteDetection, type SqliteDetection } from '@/lib/store/sqlite/sqlite-detection';
import { TYPESCRIPT_MIGRATIONS } from '@/lib/store/sqlite/typescript-migrations';
import { storeFailedSignIns } from '@/tests/helpers/failed-sign-ins';
import { HOUR, MINUTE, NOW, createTempStore, openRawDatabase, type TempStore } from '@/tests/helpers/temp-store';

const OPTIONS = { synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 } as const;
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/**
 * Windowed rule state as rows, one per rule and key, over a real store: what
 * a step writes, what the caps evict, and what an engine that restarts reads.
 */
describe('rule state kept one row per key', () => {
  let temp: TempStore;
  let detection: SqliteDetection;
  let gateway: number;
  /** `count` failed sign-ins, one a second from `time`, from `ip(i)`. */
  const failures = (count: number, time: number, ip: (i: number) => string = () => '203.0.113.7') => storeFailedSignIns(temp.store, gateway, { count, time, ip });
  /** A store whose commits are recorded, as the engine hands them over. */
  const recording = (steps: DetectionStep[]): DetectionStore =>
    Object.assign(Object.create(Object.getPrototypeOf(detection.store)) as DetectionStore, detection.store, {
      commit: (plan: Parameters<DetectionStore['commit']>[0]) =>
        detection.store.commit((access) => {
          const step = plan(access);
          steps.push(step);
          return step;
        }),
    });
  const writeOf = (step: DetectionStep, rule: string): RuleStateWrite | undefined => step.states.find((state) => state.rule === rule);
  const rowsOf = (rule: string) => detection.store.windowStandings().filter((row) => row.rule === rule);
  const ipKeyId = (ip: string) => keyIdOf({ ip });

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    detection = openSqliteDetection({ file: temp.file, ...OPTIONS });
  });
  afterEach(() => {
    detection.close();
    temp.remove();
  });

  it('writes only the keys a step touched, and leaves the other rows as they were', () => {
    const cache = new RuleStateCache();
    const steps: DetectionStep[] = [];
    const step = () => runDetection({ store: recording(steps), eventsAfter: detection.eventsAfter, now: NOW + MINUTE, limit: 1000, cache });
    failures(3, NOW, (i) => ['203.0.113.1', '203.0.113.2', '203.0.113.3'][i]);
    step();
    const before = new Map(rowsOf('brute_force_ip').map((row) => [row.keyId, row]));
    expect([...before.keys()].sort()).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3'].map(ipKeyId));
    failures(1, NOW + 10_000, () => '203.0.113.2');
    step();
    const write = writeOf(steps[1], 'brute_force_ip')!;
    expect(write.written.map((row) => row.keyId)).toEqual([ipKeyId('203.0.113.2')]);
    expect(write.removed).toEqual([]);
    // brute_force_user groups by username: its one key (alice) was touched by both steps.
    expect(writeOf(steps[1], 'brute_force_user')!.written).toHaveLength(1);
    // Rules the events do not match write their position only.
    expect(writeOf(steps[1], 'token_forgery')).toMatchObject({ written: [], removed: [] });
    const after = new Map(rowsOf('brute_force_ip').map((row) => [row.keyId, row]));
    expect(after.get(ipKeyId('203.0.113.1'))).toEqual(before.get(ipKeyId('203.0.113.1')));
    expect(after.get(ipKeyId('203.0.113.2'))).toMatchObject({ rowId: before.get(ipKeyId('203.0.113.2'))!.rowId, entries: 2 });
  });

  it('evicts the stalest keys at the cap, in the store and in memory alike', () => {
    const cache = new RuleStateCache();
    const total = MAX_KEYS + 500;
    failures(total, NOW, ipOf);
    for (let done = 0; done < total; done += 2000) {
      runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW + HOUR / 4, limit: 2000, cache });
    }
    const rows = rowsOf('brute_force_ip');
    expect(rows.length).toBeLessThanOrEqual(MAX_KEYS);
    expect(rows.length).toBeGreaterThanOrEqual(MAX_KEYS * 0.9);
    const keyIds = new Set(rows.map((row) => row.keyId));
    expect(keyIds.has(ipKeyId(ipOf(total - 1)))).toBe(true);
    expect(keyIds.has(ipKeyId(ipOf(0)))).toBe(false);
    // Every evicted key is the staler one: none kept is older than one evicted.
    const oldestKept = Math.min(...rows.map((row) => row.lastSeq));
    expect(total - rows.length + 1).toBeLessThanOrEqual(oldestKept);
    expect(cache.sizeOf('brute_force_ip').keys).toBe(rows.length);
    expect(new Set(rows.map((row) => row.rowId)).size).toBe(rows.length);
  }, 120_000);

  it('forgets a key once its window and the late-arrival grace have passed', () => {
    failures(1, NOW, () => '203.0.113.1');
    runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW, limit: 1000 });
    expect(rowsOf('brute_force_ip')).toHaveLength(1);
    failures(1, NOW, () => '203.0.113.2');
    runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW + 5 * MINUTE + LATE_ARRIVAL_GRACE_MS + 1, limit: 1000 });
    expect(rowsOf('brute_force_ip').map((row) => row.keyId)).toEqual([ipKeyId('203.0.113.2')]);
  });

  it('gives the same alerts whether the engine keeps its state in memory or reads it back after every step', () => {
    const attack = (first: number) => {
      failures(4, NOW + first * 1000, (i) => ipOf(i % 3));
      failures(3, NOW + first * 1000 + 500, () => '203.0.113.9');
    };
    const runOnce = (restartEachStep: boolean) => {
      const kept = new RuleStateCache();
      for (let round = 0; round < 6; round++) {
        attack(round * 20);
        const cache = restartEachStep ? new RuleStateCache() : kept;
        if (restartEachStep) {
          detection.close();
          detection = openSqliteDetection({ file: temp.file, ...OPTIONS });
        }
        runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW + HOUR / 4, limit: 1000, cache });
      }
      const alerts = [];
      for (let id = 1; ; id++) {
        const alert = detection.store.getAlert(id);
        if (!alert) break;
        alerts.push({ rule: alert.rule, key: alert.key, count: alert.count, evidence: alert.evidence.map((event) => event.seq) });
      }
      return { alerts, rows: detection.store.windowStandings().map(({ rowId: _rowId, ...row }) => row) };
    };
    const continuous = runOnce(false);
    detection.close();
    temp.remove();
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    detection = openSqliteDetection({ file: temp.file, ...OPTIONS });
    const restarted = runOnce(true);
    expect(continuous.alerts.map((alert) => alert.rule)).toContain('brute_force_ip');
    expect(continuous.alerts.find((alert) => alert.rule === 'brute_force_ip' && alert.key.ip === '203.0.113.9')).toMatchObject({ count: 18 });
    expect(restarted).toEqual(continuous);
  });

  it('migration 008 moves the state documents of 006 into rows, and an engine goes on from them', () => {
    failures(10, NOW, () => '203.0.113.1');
    runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW + MINUTE, limit: 1000 });
    failures(6, NOW + HOUR, () => '203.0.113.5');
    detection.close();
    // Back to 006's layout: whole documents (invalid_token_spike's windows one level down), no rows, no quiet_from.
    const raw = openRawDatabase(temp.file);
    const entries = Array.from({ length: 6 }, (_, i) => ({ time: NOW + HOUR + i * 1000, seq: 11 + i, id: `f-${10 + i}`, service: 'gateway' }));
    const window = { keyId: ipKeyId('203.0.113.5'), key: { ip: '203.0.113.5' }, entries, incidents: [], lastSeq: 16, touchedAt: NOW + HOUR };
    const kidSightings = { kids: [{ kid: 'key-2025', firstSeen: NOW, lastSeen: NOW }], watchedSince: NOW - HOUR };
    raw.exec('DELETE FROM detection_states; DROP TABLE detection_windows; DROP INDEX alerts_quiet; ALTER TABLE alerts DROP COLUMN quiet_from;');
    const save = raw.prepare('INSERT INTO detection_states (rule, state) VALUES (?, ?)');
    save.run('brute_force_ip', JSON.stringify({ version: 2, groupBy: 'ip', lastSeq: 16, windows: [window] }));
    save.run('invalid_token_spike', JSON.stringify({ windows: { version: 2, groupBy: 'service', lastSeq: 16, windows: [] }, kidSightings }));
    save.run('slow_brute_force', JSON.stringify({ version: 1, windows: {} }));
    raw.prepare('UPDATE detection_position SET seq = 16').run();
    const migration = TYPESCRIPT_MIGRATIONS.find((candidate) => candidate.version === 8)!;
    raw.transaction(() => migration.apply(raw)).immediate();
    expect(raw.prepare('SELECT DISTINCT quiet_from - opened_at FROM alerts').pluck().all()).toEqual([0]);
    raw.close();

    detection = openSqliteDetection({ file: temp.file, ...OPTIONS });
    expect(rowsOf('brute_force_ip')).toEqual([expect.objectContaining({ keyId: ipKeyId('203.0.113.5'), lastSeq: 16, entries: 6 })]);
    const documents = detection.store.ruleDocuments();
    expect(JSON.parse(documents.invalid_token_spike!)).toMatchObject({ version: 3, groupBy: 'service', lastSeq: 16, kidSightings });
    expect(documents.slow_brute_force).toBeUndefined();
    // Four more failures complete the attack the document held six of; the alert from before resolves when quiet.
    failures(4, NOW + HOUR + 6_000, () => '203.0.113.5');
    const report = runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now: NOW + HOUR + 2 * MINUTE, limit: 1000 });
    expect(report.opened.filter((alert) => alert.rule === 'brute_force_ip')).toEqual([expect.objectContaining({ key: { ip: '203.0.113.5' }, count: 10 })]);
    expect(report.resolved.filter((alert) => alert.rule === 'brute_force_ip')).toEqual([expect.objectContaining({ key: { ip: '203.0.113.1' } })]);
  });
});
