import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthwatchError } from '@/lib/errors';
import { RuleStateCache } from '@/lib/detection/rule-state-cache';
import { runDetection } from '@/lib/detection/run-detection';
import { openSqliteDetection, type SqliteDetection } from '@/lib/store/sqlite/sqlite-detection';
import { storeFailedSignIns } from '@/tests/helpers/failed-sign-ins';
import { HOUR, MINUTE, NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

/**
 * The engine over a real store: events go in through the store as ingest puts
 * them, detection reads them after its position and writes its tables.
 */
describe('runDetection', () => {
  let temp: TempStore;
  let detection: SqliteDetection;
  let gateway: number;
  let distinct = 0;
  const failures = (count: number, time: number, ip = '203.0.113.7') =>
    storeFailedSignIns(temp.store, gateway, { count, time, ip: () => ip, username: () => `user-${distinct++}` });
  const step = (now = NOW + HOUR / 2, limit = 1000) => runDetection({ store: detection.store, eventsAfter: detection.eventsAfter, now, limit });
  const alertsOf = (rule: string) => {
    const found = [];
    for (let id = 1; ; id++) {
      const alert = detection.store.getAlert(id);
      if (!alert) return found;
      if (alert.rule === rule) found.push(alert);
    }
  };

  beforeEach(() => {
    temp = createTempStore();
    gateway = temp.store.addService('gateway', NOW).id;
    detection = openSqliteDetection({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
  });
  afterEach(() => {
    detection.close();
    temp.remove();
  });

  it('opens one alert at the threshold, then updates it, evaluating each event once', () => {
    failures(9, NOW);
    expect(step().opened.map((alert) => alert.rule)).not.toContain('brute_force_ip');
    failures(1, NOW + 9_000);
    const report = step();
    expect(report.opened.filter((alert) => alert.rule === 'brute_force_ip')).toHaveLength(1);
    expect(report.position).toBe(10);
    expect(step().evaluated).toBe(0); // nothing new: nothing evaluated again
    failures(5, NOW + 20_000);
    step();
    const [alert] = alertsOf('brute_force_ip');
    expect(alert).toMatchObject({ status: 'open', count: 15, key: { ip: '203.0.113.7' } });
    expect(alert.history.map((entry) => entry.action)).toEqual(['opened']);
    expect(alertsOf('brute_force_ip')).toHaveLength(1);
  });

  it('keeps window state across a restart of the engine in the middle of a window', () => {
    failures(6, NOW);
    step();
    detection.close();
    detection = openSqliteDetection({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    failures(4, NOW + 60_000);
    step();
    expect(alertsOf('brute_force_ip')).toEqual([expect.objectContaining({ count: 10 })]);
  });

  /** The store as it is, but for `overrides`: a commit that fails, a read that is counted. */
  const storeWith = (overrides: Partial<typeof detection.store>) =>
    Object.assign(Object.create(Object.getPrototypeOf(detection.store)) as typeof detection.store, detection.store, overrides);
  const diskFull = () => storeWith({ commit: () => { throw new Error('disk full'); } });

  it('writes nothing when its transaction fails, and evaluates the same events again next time', () => {
    failures(10, NOW);
    expect(() => runDetection({ store: diskFull(), eventsAfter: detection.eventsAfter, now: NOW + HOUR / 2, limit: 1000 })).toThrow('disk full');
    expect(detection.store.position()).toBe(0);
    expect(detection.store.windowStandings()).toEqual([]);
    expect(step().opened.filter((alert) => alert.rule === 'brute_force_ip')).toHaveLength(1);
    expect(alertsOf('brute_force_ip')).toEqual([expect.objectContaining({ count: 10 })]);
  });

  it('continues from the states it keeps in memory as from the stored ones, and reads them again after a failed step', () => {
    const cache = new RuleStateCache();
    let loads = 0;
    const counting = storeWith({
      windowStandings: () => {
        loads += 1;
        return detection.store.windowStandings();
      },
    });
    const cached = (store = counting) => runDetection({ store, eventsAfter: detection.eventsAfter, now: NOW + HOUR / 2, limit: 1000, cache });
    failures(6, NOW);
    cached();
    // A failed step forgets the kept states: the next one starts from the store's.
    failures(2, NOW + 10_000);
    expect(() => cached(Object.assign(diskFull(), { windowStandings: counting.windowStandings }))).toThrow('disk full');
    cached();
    // A commit refused for the lock wrote nothing and keeps the memory: nothing is read again.
    failures(2, NOW + 20_000);
    const busy = storeWith({ windowStandings: counting.windowStandings, commit: () => { throw new AuthwatchError('ERR_STORE_BUSY', 'busy'); } });
    expect(() => cached(busy)).toThrow('busy');
    cached();
    expect(loads).toBe(2);
    expect(alertsOf('brute_force_ip')).toEqual([expect.objectContaining({ count: 10 })]);
    expect(cache.sizeOf('brute_force_ip')).toEqual({ keys: 1, windows: 1 });
  });

  it('plans a step outside the write lock and plans again when a person changed an alert it read meanwhile', () => {
    failures(10, NOW);
    step();
    const [alert] = alertsOf('brute_force_ip');
    const person = openSqliteDetection({ file: temp.file, synchronous: 'FULL', busyTimeoutMs: 0, cacheMegabytes: 8 });
    const original = detection.store.commit.bind(detection.store);
    let plans = 0;
    let race = true;
    const racing = Object.assign(Object.create(Object.getPrototypeOf(detection.store)) as typeof detection.store, detection.store, {
      commit: (plan: Parameters<typeof original>[0]) =>
        original((access) => {
          plans += 1;
          const planned = plan(access);
          // Between the engine's plan and its write, a MANAGER acknowledges the alert on another connection.
          if (race) person.store.changeAlert(alert.id, (current) => ({ alert: { ...current, status: 'acknowledged', updatedAt: NOW + HOUR }, entry: { actor: 'mia@example.com', action: 'acknowledged' } }));
          race = false;
          return planned;
        }),
    });
    try {
      failures(3, NOW + 30_000);
      runDetection({ store: racing, eventsAfter: detection.eventsAfter, now: NOW + HOUR / 2, limit: 1000 });
    } finally {
      person.close();
    }
    expect(plans).toBe(2);
    const [after] = alertsOf('brute_force_ip');
    expect(after).toMatchObject({ status: 'acknowledged', count: 13 });
    expect(after.history.map((entry) => [entry.actor, entry.action])).toEqual([
      ['detection', 'opened'],
      ['mia@example.com', 'acknowledged'],
    ]);
    // Without a change in between, one plan is enough.
    plans = 0;
    failures(2, NOW + 40_000);
    runDetection({ store: racing, eventsAfter: detection.eventsAfter, now: NOW + HOUR / 2, limit: 1000 });
    expect(plans).toBe(1);
    expect(alertsOf('brute_force_ip')[0]).toMatchObject({ status: 'acknowledged', count: 15 });
  });

  it('resolves an alert after its quiet period, and a recurrence opens a new one', () => {
    failures(10, NOW);
    step(NOW + MINUTE);
    const resolved = step(NOW + 2 * HOUR).resolved;
    expect(resolved.map((alert) => alert.rule)).toContain('brute_force_ip');
    expect(alertsOf('brute_force_ip')[0].history.map((entry) => [entry.actor, entry.action])).toEqual([
      ['detection', 'opened'],
      ['detection', 'resolved'],
    ]);
    failures(10, NOW + 3 * HOUR);
    step(NOW + 3 * HOUR + MINUTE);
    expect(alertsOf('brute_force_ip').map((alert) => alert.status)).toEqual(['resolved', 'open']);
  });

  it('runs a rule with the parameters a manager saved, and not at all when disabled', () => {
    detection.store.saveRuleSettings('brute_force_ip', { threshold: 20 }, 'manager@example.com', NOW);
    failures(10, NOW);
    step();
    expect(alertsOf('brute_force_ip')).toEqual([]);
    detection.store.saveRuleSettings('brute_force_ip', { enabled: false }, 'manager@example.com', NOW);
    failures(30, NOW + 30_000);
    step();
    expect(alertsOf('brute_force_ip')).toEqual([]);
  });
});
